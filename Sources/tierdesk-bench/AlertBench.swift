import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Starts Tierdesk in-process on a scratch database and measures alert intake over real HTTP with `wrk`:
/// generic events one per request, and Alertmanager webhooks of ten alerts, nine in ten of them repeats
/// of 200 alerts that fire all the time.
struct AlertBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Measure alerts ingested per second with 90 % duplicates (events API and Alertmanager webhooks).",
        discussion: "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL. Needs wrk (apt-get install wrk)."
    )

    @Option(help: "Concurrent HTTP connections.") var clients = 32
    @Option(help: "Seconds each measurement runs.") var seconds = 10
    @Option(help: "Path of the wrk executable.") var wrk = "/usr/bin/wrk"
    @Option(help: "One alert in this many has a new key; the others repeat firing alerts.") var newEvery = 10

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw ValidationError("wrk is not installed at \(wrk); install it with apt-get install wrk, or pass --wrk PATH.")
        }
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let scratch = try await ScratchDatabase.create(logger: logger)
        let environment = try await TierdeskEnvironment(database: scratch.database, clock: SystemClock(), logger: logger, bcryptCost: 4)
        let directory = CommandLineDirectory(environment: environment)
        let reporter = try await directory.addPerson(email: "monitoring@example.com", name: "Monitoring", roles: [.agent], tier: .l1, organisation: nil, vendor: nil, password: nil)
        try await SettingsRepository(scratch.database).save(AlertIntakeSettings(reporterId: reporter.id))
        let events = try await directory.addIntegration(kind: "events", name: "bench")
        let alertmanager = try await directory.addIntegration(kind: "alertmanager", name: "bench")

        let port = PortBox()
        let app = buildApplication(environment: environment, host: "127.0.0.1", port: 0) { bound in await port.set(bound) }
        let server = Task { try await app.runService() }
        let base = "http://127.0.0.1:\(await port.wait())"
        let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("tierdesk-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scripts) }
        let http = Wrk(path: wrk, clients: clients, seconds: seconds)
        let tickets = TicketRepository(scratch.database)

        do {
            // One alert in `newEvery` has a key never seen; the rest repeat one of 200 firing alerts.
            let common = """
            wrk.headers["Content-Type"] = "application/json"
            local counter = 0
            local threads = 0
            function setup(thread) threads = threads + 1; thread:set("id", threads) end
            local function key()
              counter = counter + 1
              if counter % \(newEvery) == 0 then return "new-" .. id .. "-" .. counter end
              return "hot-" .. math.random(1, 200)
            end
            local shown = false
            response = function(status, headers, body)
              if status >= 300 and not shown then shown = true; print(status, body) end
            end
            """
            let single = scripts.appendingPathComponent("events.lua")
            try (common + """

            request = function()
              local k = key()
              local body = '{"event_action":"trigger","dedup_key":"' .. k .. '","payload":{"summary":"Disk 95 % on ' .. k .. '","source":"db-1","severity":"warning"}}'
              return wrk.format("POST", "/api/v1/integrations/events", nil, body)
            end
            """).write(to: single, atomically: true, encoding: .utf8)
            let before = try await tickets.highestNumber()
            let one = try http.run(base + "/api/v1/integrations/events", token: events, script: single)
            let openedByEvents = try await tickets.highestNumber() - before

            let grouped = scripts.appendingPathComponent("alertmanager.lua")
            try (common + """

            request = function()
              local alerts = {}
              for i = 1, 10 do
                local k = key()
                alerts[i] = '{"status":"firing","labels":{"alertname":"DiskFull","instance":"' .. k .. '","severity":"warning"},"annotations":{"summary":"Disk 95 %"},"startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus/graph","fingerprint":"' .. k .. '"}'
              end
              local body = '{"version":"4","status":"firing","receiver":"tierdesk","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","truncatedAlerts":0,"groupKey":"{}","alerts":[' .. table.concat(alerts, ",") .. ']}'
              return wrk.format("POST", "/api/v1/integrations/alertmanager", nil, body)
            end
            """).write(to: grouped, atomically: true, encoding: .utf8)
            let middle = try await tickets.highestNumber()
            let ten = try http.run(base + "/api/v1/integrations/alertmanager", token: alertmanager, script: grouped)
            let openedByGroups = try await tickets.highestNumber() - middle

            let engine = scratch.database.isSQLite ? "SQLite" : "PostgreSQL"
            print("Tierdesk alert benchmark — \(engine), \(clients) connections (wrk, 2 threads), \(seconds) s each, server in-process on 127.0.0.1")
            print(one.line("POST /api/v1/integrations/events, 1 alert per request", unit: "alerts/s") + ", \(openedByEvents) tickets opened for \(one.requests) alerts")
            print(String(format: "POST /api/v1/integrations/alertmanager, 10 alerts per request: %d requests, %.0f alerts/s, p50 %@, p99 %@, %d tickets opened for %d alerts",
                         ten.requests, ten.perSecond * 10, ten.p50, ten.p99, openedByGroups, ten.requests * 10))
        } catch {
            print("benchmark failed: \(error)")
        }
        server.cancel()
        _ = await server.result
        await scratch.discard()
    }
}
