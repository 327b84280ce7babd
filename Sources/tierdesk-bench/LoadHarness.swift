import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// The options of a benchmark that loads Tierdesk over HTTP with `wrk`.
struct WrkOptions: ParsableArguments {
    @Option(help: "Concurrent HTTP connections.") var clients = 32
    @Option(help: "Seconds each measurement runs.") var seconds = 10
    @Option(help: "Path of the wrk executable.") var wrk = "/usr/bin/wrk"

    /// The load generator, once it is known to be installed.
    func generator() throws -> Wrk {
        guard FileManager.default.isExecutableFile(atPath: wrk) else {
            throw ValidationError(
                "wrk is not installed at \(wrk); install it with apt-get install wrk, or pass --wrk PATH."
            )
        }
        return Wrk(path: wrk, clients: clients, seconds: seconds)
    }
}

/// Tierdesk started in-process on a scratch database (SQLite, or a new PostgreSQL schema with
/// TIERDESK_TEST_DATABASE_URL), listening on a free loopback port, with a folder for `wrk` scripts.
struct InProcessServer {
    let scratch: ScratchDatabase
    let components: AppComponents
    let base: String
    private let scripts: URL
    private let server: Task<Void, any Error>

    /// Seeds `data` unless the database already holds a data set (more than the built-in organisation: one
    /// kept from an earlier run), and prints which, for the benchmark `bench`.
    func seedUnlessKept(_ data: DataSetOptions, bench: String) async throws {
        let database = components.database
        guard try await DirectoryRepository(database).organisations().count <= 1 else {
            print("\(bench) (\(engine)): reusing the kept data set")
            return
        }
        let (written, seconds) = try await Seeding.seed(data.dataSet(now: Date()), into: database)
        print(
            String(
                format: "%@ (%@): seeded %d tickets (%d open) in %.1f s",
                bench,
                engine,
                written.tickets,
                written.open,
                seconds
            )
        )
    }

    /// Runs `body` against a started server and stops it afterwards; a failure is rethrown, so the
    /// command exits non-zero.
    /// With `keeping`, the data stays in that database (``ScratchDatabase/kept(named:logger:environment:)``).
    static func with(keeping: String? = nil, _ body: (InProcessServer) async throws -> Void) async throws {
        let server = try await start(keeping: keeping)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private static func start(keeping: String?) async throws -> InProcessServer {
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let scratch: ScratchDatabase
        if let keeping {
            scratch = try await ScratchDatabase.kept(named: keeping, logger: logger)
        } else {
            scratch = try await ScratchDatabase.create(logger: logger)
        }
        var configuration = TierdeskConfiguration(database: scratch.database, clock: SystemClock(), logger: logger)
        configuration.bcryptCost = 4
        let components = try await AppComponents(configuration)
        let port = PortBox()
        let app = buildApplication(components, host: "127.0.0.1", port: 0) { bound in await port.set(bound) }
        let server = Task { try await app.runService() }
        let scripts = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tierdesk-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        return InProcessServer(
            scratch: scratch,
            components: components,
            base: "http://127.0.0.1:\(await port.wait())",
            scripts: scripts,
            server: server
        )
    }

    var engine: String { scratch.database.engine == .sqlite ? "SQLite" : "PostgreSQL" }

    /// Writes a `wrk` Lua script and returns where it is.
    func script(_ name: String, _ text: String) throws -> URL {
        let file = scripts.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    private func stop() async {
        server.cancel()
        _ = await server.result
        try? FileManager.default.removeItem(at: scripts)
        await scratch.discard()
    }
}

/// The load generator: `wrk` with two threads, run as a second process.
struct Wrk {
    var path: String
    var clients: Int
    var seconds: Int

    var description: String {
        "\(clients) connections (wrk, 2 threads), \(seconds) s each, server in-process on 127.0.0.1"
    }

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
        process.arguments = [
            "-t2", "-c\(clients)", "-d\(seconds)s", "--latency", "-H", "Authorization: Bearer \(token)", "-s",
            script.path, url,
        ]
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
            let total = lines.first(where: { $0.contains("requests in") })?.split(separator: " ").first
                .flatMap({ Int($0) })
        else { throw BenchError("could not read wrk's output:\n\(output)") }
        return Figures(
            requests: total,
            perSecond: rate,
            p50: value(after: "50%") ?? "?",
            p99: value(after: "99%") ?? "?"
        )
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
