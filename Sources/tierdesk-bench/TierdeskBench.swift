import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

@main
struct TierdeskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierdesk-bench",
        abstract: "Reproducible performance figures for Tierdesk.",
        subcommands: [HTTPBench.self, SLABench.self, TriageBench.self, MailBench.self, AlertBench.self],
        defaultSubcommand: HTTPBench.self
    )
}

/// Starts Tierdesk in-process on a scratch database and measures ticket creation and reads over real HTTP,
/// with `wrk` (Debian package `wrk`) as the load generator in a second process.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure tickets created per second (POST /api/v1/tickets) and reads per second (GET /api/v1/tickets/{reference}).",
        discussion: "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL. Needs wrk (apt-get install wrk)."
    )

    @Option(help: "Concurrent HTTP connections.") var clients = 32
    @Option(help: "Seconds each measurement runs.") var seconds = 10
    @Option(help: "Path of the wrk executable.") var wrk = "/usr/bin/wrk"

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw ValidationError("wrk is not installed at \(wrk); install it with apt-get install wrk, or pass --wrk PATH.")
        }
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let scratch = try await ScratchDatabase.create(logger: logger)
        let environment = try await TierdeskEnvironment(database: scratch.database, clock: SystemClock(), logger: logger, bcryptCost: 4)
        let directory = CommandLineDirectory(environment: environment)
        let organisation = try await directory.addOrganisation(name: "Bench Org", sharesTickets: false)
        let requester = try await directory.addPerson(email: "bench@example.com", name: "Bench Requester", roles: [.requester], tier: nil, organisation: organisation.name, vendor: nil, password: nil)
        let token = try await directory.issueToken(email: requester.email, name: "bench")

        let port = PortBox()
        let app = buildApplication(environment: environment, host: "127.0.0.1", port: 0) { bound in await port.set(bound) }
        let server = Task { try await app.runService() }
        let base = "http://127.0.0.1:\(await port.wait())"
        let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("tierdesk-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scripts) }

        do {
            let create = scripts.appendingPathComponent("create.lua")
            try """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '{"title": "Scanner unresponsive at goods receipt", "description": "Handheld GR-04 froze; battery replaced, still frozen. Wi-Fi profile looks fine."}'
            """.write(to: create, atomically: true, encoding: .utf8)
            let created = try Wrk(path: wrk, clients: clients, seconds: seconds).run(base + "/api/v1/tickets", token: token, script: create)
            let last = try await TicketRepository(environment.database).highestNumber()
            let read = scripts.appendingPathComponent("read.lua")
            try """
            request = function()
              return wrk.format("GET", "/api/v1/tickets/TD-" .. math.random(1001, \(last)))
            end
            """.write(to: read, atomically: true, encoding: .utf8)
            let reads = try Wrk(path: wrk, clients: clients, seconds: seconds).run(base + "/api/v1/tickets/TD-1001", token: token, script: read)
            let engine = scratch.database.isSQLite ? "SQLite" : "PostgreSQL"
            print("Tierdesk benchmark — \(engine), \(clients) connections (wrk, 2 threads), \(seconds) s each, server in-process on 127.0.0.1")
            print(created.line("POST /api/v1/tickets", unit: "creates/s"))
            print(reads.line("GET /api/v1/tickets/{reference}", unit: "reads/s") + " over \(last - 1000) tickets")
            print("server peak memory (VmHWM): \(Self.peakMemoryMiB()) MiB")
        } catch {
            print("benchmark failed: \(error)")
        }
        server.cancel()
        _ = await server.result
        await scratch.discard()
    }

    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}

/// The load generator: `wrk` with two threads, run as a second process.
struct Wrk {
    var path: String
    var clients: Int
    var seconds: Int

    /// One wrk run's figures.
    struct Figures {
        var requests: Int
        var perSecond: Double
        var p50: String
        var p99: String

        func line(_ name: String, unit: String) -> String {
            String(format: "%@: %d requests, %.0f %@, p50 %@, p99 %@", name, requests, perSecond, unit, p50, p99)
        }
    }

    func run(_ url: String, token: String, script: URL) throws -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t2", "-c\(clients)", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer \(token)", "-s", script.path, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("wrk failed:\n\(output)") }
        let lines = output.split(separator: "\n").map { String($0).trimmingWhitespace() }
        if let line = lines.first(where: { $0.contains("Non-2xx") }) {
            throw BenchError("the server refused requests (\(line)):\n\(output)")
        }
        func value(after label: String) -> String? {
            lines.first { $0.hasPrefix(label) }.map { String($0.dropFirst(label.count)).trimmingWhitespace() }
        }
        guard let rate = value(after: "Requests/sec:").flatMap(Double.init),
              let total = lines.first(where: { $0.contains("requests in") })?.split(separator: " ").first.flatMap({ Int($0) })
        else { throw BenchError("could not read wrk's output:\n\(output)") }
        return Figures(requests: total, perSecond: rate, p50: value(after: "50%") ?? "?", p99: value(after: "99%") ?? "?")
    }
}

/// The port the server bound, once it is listening.
actor PortBox {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(_ value: Int) {
        port = value
        for waiter in waiters { waiter.resume(returning: value) }
        waiters = []
    }

    func wait() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
