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
        discussion:
            "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL. Needs wrk (apt-get install wrk)."
    )

    @OptionGroup var load: WrkOptions
    @Option(help: "One alert in this many has a new key; the others repeat firing alerts.") var newEvery = 10

    func run() async throws {
        let wrk = try load.generator()
        try await InProcessServer.with { server in
            let directory = CommandLineDirectory(server.components)
            let reporter = try await directory.addPerson(
                email: "monitoring@example.com",
                name: "Monitoring",
                roles: [.agent],
                tier: .l1,
                organisation: nil,
                vendor: nil,
                password: nil
            )
            // The bench measures intake, not a storm: the hourly limit on alert tickets is lifted.
            try await SettingsRepository(server.scratch.database)
                .save(AlertIntakeSettings(reporterId: reporter.id, newTicketsPerHour: 100_000))
            let events = try await directory.addIntegration(kind: "events", name: "bench")
            let alertmanager = try await directory.addIntegration(kind: "alertmanager", name: "bench")
            let tickets = TicketRepository(server.scratch.database)

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
            let single = try server.script(
                "events.lua",
                common + """

                    request = function()
                      local k = key()
                      local body = '{"event_action":"trigger","dedup_key":"' .. k .. '","payload":{"summary":"Disk 95 % on ' .. k .. '","source":"db-1","severity":"warning"}}'
                      return wrk.format("POST", "/api/v1/integrations/events", nil, body)
                    end
                    """
            )
            let before = try await tickets.highestNumber()
            let one = try wrk.run(server.base + "/api/v1/integrations/events", token: events, script: single)
            let openedByEvents = try await tickets.highestNumber() - before

            let grouped = try server.script(
                "alertmanager.lua",
                common + """

                    request = function()
                      local alerts = {}
                      for i = 1, 10 do
                        local k = key()
                        alerts[i] = '{"status":"firing","labels":{"alertname":"DiskFull","instance":"' .. k .. '","severity":"warning"},"annotations":{"summary":"Disk 95 %"},"startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus/graph","fingerprint":"' .. k .. '"}'
                      end
                      local body = '{"version":"4","status":"firing","receiver":"tierdesk","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","truncatedAlerts":0,"groupKey":"{}","alerts":[' .. table.concat(alerts, ",") .. ']}'
                      return wrk.format("POST", "/api/v1/integrations/alertmanager", nil, body)
                    end
                    """
            )
            let middle = try await tickets.highestNumber()
            let ten = try wrk.run(
                server.base + "/api/v1/integrations/alertmanager",
                token: alertmanager,
                script: grouped
            )
            let openedByGroups = try await tickets.highestNumber() - middle

            print("Tierdesk alert benchmark — \(server.engine), \(wrk.description)")
            print(
                one.line("POST /api/v1/integrations/events, 1 alert per request", unit: "alerts/s")
                    + ", \(openedByEvents) tickets opened for \(one.requests) alerts"
            )
            print(
                String(
                    format:
                        "POST /api/v1/integrations/alertmanager, 10 alerts per request: %d requests, %.0f alerts/s, p50 %@, p99 %@, %d tickets opened for %d alerts",
                    ten.requests,
                    ten.perSecond * 10,
                    ten.p50,
                    ten.p99,
                    openedByGroups,
                    ten.requests * 10
                )
            )
        }
    }
}
