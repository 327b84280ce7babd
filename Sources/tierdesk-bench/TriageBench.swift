import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// Measures the Known Error Database's suggestion latency with many articles, on a scratch database
/// (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL), and triage rule evaluation per ticket.
struct TriageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Measure KEDB suggestion latency with many articles and triage rule evaluation per ticket."
    )

    @Option(help: "Articles in the Known Error Database.") var articles = 100_000
    @Option(help: "Suggestion queries to time.") var queries = 1_000
    @Option(help: "Triage rules.") var rules = 200
    @Option(help: "Rule evaluations to time.") var evaluations = 100_000

    func run() async throws {
        // The same articles, tickets and rules on every run, so runs compare.
        var generator = SplitMix64(seed: 42)
        let words = Self.vocabulary
        func sentence(_ count: Int) -> String {
            (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        }

        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let scratch = try await ScratchDatabase.create(logger: logger)
        let repository = KnownErrorRepository(scratch.database)
        let author = Person(
            id: UUID(),
            email: "bench@example.com",
            name: "Bench",
            roles: [.agent],
            tier: .l2,
            createdAt: Date()
        )
        try await DirectoryRepository(scratch.database).save(author, passwordHash: nil)
        let loading = ContinuousClock.now
        for start in stride(from: 0, to: articles, by: 5_000) {
            let drafts = (start..<min(start + 5_000, articles))
                .map { _ in
                    KnownErrorDraft(
                        title: sentence(6),
                        symptom: sentence(25),
                        rootCause: sentence(15),
                        workaround: sentence(30)
                    )
                }
            _ = try await repository.importArticles(drafts, by: author.id, at: Date())
        }
        let loaded = ContinuousClock.now - loading
        var latencies: [Double] = []
        var found = 0
        for _ in 0..<queries {
            let text = sentence(8) + "\n" + sentence(40)
            let began = ContinuousClock.now
            found += try await repository.search(text, limit: 5).count
            latencies.append((ContinuousClock.now - began).seconds * 1000)
        }
        await scratch.discard()
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print("Triage benchmark")
        print(
            String(
                format:
                    "KEDB (%@): %d articles loaded in %.1f s; %d suggestion queries (8-word title + 40-word description): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (%d matches)",
                scratch.database.engine == .sqlite ? "SQLite FTS5" : "PostgreSQL tsvector",
                articles,
                loaded.seconds,
                queries,
                percentile(0.5),
                percentile(0.95),
                percentile(0.99),
                found
            )
        )

        // Rules of every kind of condition, most not matching, as a real rule set would be.
        let services = (0..<20).map { _ in UUID() }
        let ruleSet = TriageRules(
            rules: (0..<rules)
                .map { index in
                    switch index % 4 {
                    case 0:
                        TriageRule(
                            name: "text \(index)",
                            when: .init(text: [sentence(2), sentence(1)]),
                            then: .init(tag: "t\(index)")
                        )
                    case 1:
                        TriageRule(
                            name: "attr \(index)",
                            when: .init(attributes: [.init(name: "lineUtilisation", op: .lt, value: Double(index % 50))]
                            ),
                            then: .init(severity: .sev2)
                        )
                    case 2:
                        TriageRule(
                            name: "service \(index)",
                            when: .init(services: [services[index % services.count]], types: [.incident]),
                            then: .init(group: "G\(index)")
                        )
                    default:
                        TriageRule(
                            name: "channel \(index)",
                            when: .init(channels: [.email], text: [sentence(1)]),
                            then: .init(urgency: .high)
                        )
                    }
                }
        )
        var ticket = Ticket(
            id: UUID(),
            number: 1,
            type: .incident,
            channel: .portal,
            title: sentence(8),
            description: sentence(80),
            requesterID: UUID(),
            organisationID: UUID(),
            serviceID: services[3],
            impact: .medium,
            urgency: .medium,
            priority: .p3,
            severity: .sev3,
            status: .new,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: Date(),
            updatedAt: Date()
        )
        ticket.attributes = ["lineUtilisation": "35", "usersAffected": "4"]
        var changed = 0
        let began = ContinuousClock.now
        for _ in 0..<evaluations {
            changed += ruleSet.apply(to: ticket, on: .create, matrix: .standard, at: ticket.createdAt).1.count
        }
        let elapsed = ContinuousClock.now - began
        print(
            String(
                format:
                    "triage rules: %d rules, %d evaluations of a ticket with an 80-word description: %.1f µs per ticket (%d changes)",
                rules,
                evaluations,
                elapsed.seconds / Double(evaluations) * 1e6,
                changed
            )
        )
    }

    /// Words of support tickets and a long tail of others, so some terms are common and most are rare.
    static let vocabulary: [String] = {
        let common =
            "scanner printer login password error order posting label battery wifi terminal network slow timeout crash update screen report export invoice customer shift line station server database sync interface"
            .split(separator: " ").map(String.init)
        let rare = (0..<5_000).map { index in "term" + String(index, radix: 36) }
        return common + rare
    }()
}

/// A small seeded random number generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
