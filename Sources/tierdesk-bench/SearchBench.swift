import ArgumentParser
import AsyncHTTPClient
import Foundation
import TierdeskServer
import TierdeskStore

/// Times ticket search over real HTTP on a seeded data set: two to four words (``DeskText/query(_:)``) as an
/// agent through the API and the console, and as a requester of a sharing organisation through the API;
/// then a reference and a requester's address.
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Time ticket search (2–4 words, a reference, an address) on a seeded data set."
    )

    @OptionGroup var data: DataSetOptions
    @Option(help: "Timed searches of each kind.") var repeats = 200
    @OptionGroup var kept: KeepOption

    func run() async throws {
        try await InProcessServer.with(keeping: kept.keep) { server in
            try await server.seedUnlessKept(data, bench: "search")
            let database = server.components.database
            let tickets = try await TicketRepository(database).highestNumber() - 1000
            let email = "search-\(UUID().uuidString.prefix(8).lowercased())@bench.example"
            let (password, agentToken) = try await server.addStaff(
                email: email,
                name: "Bench Agent",
                role: .agent,
                tier: .l1
            )
            // Organisation 1 shares its tickets, so its requesters search all of them.
            let requesterToken = try await CommandLineDirectory(server.components)
                .issueToken(email: "requester0@org1.example", name: "bench")
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
            )
            do {
                let cookie = try await QueueBench.logIn(
                    client,
                    server.base,
                    email: email,
                    password: password
                )
                let agent = ["Authorization": "Bearer \(agentToken)"]
                let requester = ["Authorization": "Bearer \(requesterToken)"]
                var random = SplitMix(seed: 4711)
                let queries = (0..<repeats).map { _ in DeskText.query(&random) }
                func encoded(_ text: String) -> String {
                    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
                }
                let kinds: [(String, [String], [String: String])] = [
                    ("API, agent, 2–4 words", queries.map { "/api/v1/tickets?q=\(encoded($0))" }, agent),
                    (
                        "console, agent, 2–4 words", queries.map { "/console?status=any&q=\(encoded($0))" },
                        ["Cookie": cookie]
                    ),
                    ("API, requester, 2–4 words", queries.map { "/api/v1/tickets?q=\(encoded($0))" }, requester),
                    (
                        "API, agent, a reference",
                        (0..<repeats).map { _ in "/api/v1/tickets?q=TD-\(1001 + random.below(tickets))" },
                        agent
                    ),
                    (
                        "API, agent, an address",
                        (0..<repeats)
                            .map { _ in
                                "/api/v1/tickets?q=requester\(random.below(5))%40org\(1 + random.below(data.organisations)).example"
                            },
                        agent
                    ),
                ]
                for (name, paths, headers) in kinds {
                    var samples: [Double] = []
                    var found = 0
                    for path in paths {
                        let began = ContinuousClock.now
                        let body = try await QueueBench.get(client, server.base + path, headers: headers)
                        samples.append((ContinuousClock.now - began).seconds)
                        // JSON names each ticket's reference once; a console page links each ticket once.
                        found += body.components(separatedBy: "\"reference\"").count - 1
                        found += body.components(separatedBy: "href=\"/console/tickets/").count - 1
                    }
                    samples.sort()
                    print(
                        String(
                            format: "%@: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d searches (%.1f tickets each)",
                            name,
                            samples[samples.count / 2] * 1000,
                            samples[min(samples.count - 1, samples.count * 95 / 100)] * 1000,
                            samples[min(samples.count - 1, samples.count * 99 / 100)] * 1000,
                            samples.count,
                            Double(found) / Double(samples.count)
                        )
                    )
                }
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
