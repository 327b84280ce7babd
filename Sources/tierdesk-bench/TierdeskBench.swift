import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Starts Tierdesk in-process on a scratch database and measures ticket creation and reads over real HTTP.
@main
struct TierdeskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierdesk-bench",
        abstract: "Measure tickets created per second (POST /api/v1/tickets) and reads per second (GET /api/v1/tickets/{reference}).",
        discussion: "Uses a temporary SQLite database, or a new schema in the PostgreSQL database named by TIERDESK_TEST_DATABASE_URL."
    )

    @Option(help: "Concurrent HTTP clients.") var clients = 32
    @Option(help: "Tickets to create.") var creates = 20_000
    @Option(help: "Reads by reference.") var reads = 60_000

    func run() async throws {
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .warning
        let scratch = try await ScratchDatabase.create(logger: logger)
        let environment = try await TierdeskEnvironment(database: scratch.database, clock: SystemClock(), logger: logger, bcryptCost: 4)
        let organisation = try await CommandLineDirectory(environment: environment).addOrganisation(name: "Bench Org", sharesTickets: false)
        let requester = try await CommandLineDirectory(environment: environment).addPerson(email: "bench@example.com", name: "Bench Requester", roles: [.requester], tier: nil, organisation: organisation.name, vendor: nil, password: nil)
        let token = try await CommandLineDirectory(environment: environment).issueToken(email: requester.email, name: "bench")

        let port = PortBox()
        let app = buildApplication(environment: environment, host: "127.0.0.1", port: 0) { bound in await port.set(bound) }
        let server = Task { try await app.runService() }
        let base = "http://127.0.0.1:\(try await port.wait())"

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let body = #"{"title": "Scanner unresponsive at goods receipt", "description": "Handheld GR-04 froze; battery replaced, still frozen. Wi-Fi profile looks fine."}"#

        @Sendable func post() async throws -> String {
            var request = HTTPClientRequest(url: base + "/api/v1/tickets")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await client.execute(request, timeout: .seconds(30))
            let data = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .created else { throw BenchError("create answered \(response.status)") }
            return response.headers.first(name: "Location").map { String($0.split(separator: "/").last!) } ?? String(buffer: data)
        }
        @Sendable func get(_ reference: String) async throws {
            var request = HTTPClientRequest(url: base + "/api/v1/tickets/" + reference)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw BenchError("read answered \(response.status)") }
        }

        do {
            _ = try await Self.load(clients: clients, total: 200) { _ in _ = try await post() }
            let references = ReferenceList()
            let createRun = try await Self.load(clients: clients, total: creates) { _ in await references.add(try await post()) }
            let known = await references.all
            let readRun = try await Self.load(clients: clients, total: reads) { index in try await get(known[(index &* 7919) % known.count]) }
            let engine = scratch.database.isSQLite ? "SQLite" : "PostgreSQL"
            print("Tierdesk benchmark — \(engine), \(clients) concurrent clients, over HTTP on 127.0.0.1")
            print(createRun.line("POST /api/v1/tickets", unit: "creates/s"))
            print(readRun.line("GET /api/v1/tickets/{reference}", unit: "reads/s"))
            print("peak memory (VmHWM): \(Self.peakMemoryMiB()) MiB")
        } catch {
            print("benchmark failed: \(error)")
        }
        try await client.shutdown()
        server.cancel()
        _ = await server.result
        await scratch.discard()
    }

    struct Run {
        var count: Int
        var seconds: Double
        var latencies: [Double]

        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000
        }

        func line(_ name: String, unit: String) -> String {
            String(format: "%@: %d requests in %.2f s = %.0f %@, p50 %.2f ms, p99 %.2f ms", name, count, seconds, Double(count) / seconds, unit, percentile(0.5), percentile(0.99))
        }
    }

    /// Runs `total` operations with `clients` workers in parallel.
    static func load(clients: Int, total: Int, _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> Run {
        let counter = Counter()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [Double] = []
                    while let index = await counter.next(below: total) {
                        let begin = ContinuousClock.now
                        try await operation(index)
                        mine.append((ContinuousClock.now - begin).seconds)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        return Run(count: total, seconds: (ContinuousClock.now - start).seconds, latencies: latencies)
    }

    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}

actor Counter {
    private var value = 0
    func next(below limit: Int) -> Int? {
        guard value < limit else { return nil }
        defer { value += 1 }
        return value
    }
}

actor ReferenceList {
    private(set) var all: [String] = []
    func add(_ reference: String) { all.append(reference) }
}

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

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
