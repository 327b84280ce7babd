import Foundation
import Logging
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Several instances on one PostgreSQL database: a change committed on one is in force on the others as
/// soon as they hear of it, not after a cache's lifetime (the clock here never moves, so no cache expires).
struct SharedChangesTests {
    @Test func settingsAndRevokedTokensTakeEffectOnAnotherInstanceWhenCommitted() async throws {
        try await ServerFixture.with { f in
            let a = f.components
            guard a.database.engine == .postgresql else { return }  // SQLite serves one process
            // A second instance: a process of its own, with its own connections to the same database.
            let other = try await TierdeskDatabase.open(a.database.location, logger: a.logger, migrating: false)
            let b = try await ServerFixture.components(database: other, clock: a.clock, logger: a.logger)
            let (heard, hearing) = AsyncStream<ChangeFeed.Change>.makeStream()
            let listener = ChangeListener(feed: ChangeFeed(other), caches: b.sharedCaches, logger: a.logger) {
                hearing.yield($0)
            }
            let listening = Task { try await listener.run() }
            // Should a notice never come, the stream ends and the expectations below fail instead of waiting.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(30))
                hearing.finish()
            }
            defer {
                listening.cancel()
                watchdog.cancel()
            }
            defer { Task { await other.shutdown() } }
            var changes = heard.makeAsyncIterator()
            #expect(await changes.next() == .listening)
            let now = a.clock.now()

            // B has read the matrix and Alice's token, and keeps them.
            #expect(try await b.priorityMatrix.value(at: now).priority(impact: .high, urgency: .high) == .p1)
            let token = try #require(f.tokens["alice"])
            #expect(try await b.sessionDesk.person(apiToken: token)?.email == "alice@example.com")

            // A makes high × high a P2.
            let admin = try #require(f.people["admin"]).actor
            let entries = Level.allCases.flatMap { impact in
                Level.allCases.map { urgency in
                    PriorityMatrix.Entry(
                        impact: impact,
                        urgency: urgency,
                        priority: impact == .high && urgency == .high
                            ? .p2 : PriorityMatrix.standard.priority(impact: impact, urgency: urgency)
                    )
                }
            }
            try await a.settingsDesk.save(try PriorityMatrix(entries: entries), by: admin)
            while let change = await changes.next(), change != .table("settings") {}
            #expect(try await b.priorityMatrix.value(at: now).priority(impact: .high, urgency: .high) == .p2)

            // A revokes Alice's token: B refuses it.
            let alice = try #require(f.people["alice"])
            for info in try await a.directoryDesk.tokens(for: alice.actor) {
                try await a.directoryDesk.revokeToken(info.id, by: admin)
            }
            while let change = await changes.next(), change != .table("api_tokens") {}
            #expect(try await b.sessionDesk.person(apiToken: token) == nil)

            // B's own writes are no news to B (it updated its caches as it wrote): the next change B hears is
            // A's revocation that followed B's matrix.
            try await b.settingsDesk.save(.standard, by: admin)
            _ = try await a.directoryDesk.issueToken(name: "again", for: alice.id)
            for info in try await a.directoryDesk.tokens(for: alice.actor) {
                try await a.directoryDesk.revokeToken(info.id, by: admin)
            }
            #expect(await changes.next() == .table("api_tokens"))
        }
    }
}
