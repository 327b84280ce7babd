import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// The queues read indexes, never the whole table, on both engines; and paging by deadline continues
/// exactly where the last page ended.
struct QueuePlanTests {
    /// Every query a queue, list or board of the console, API or triage board runs.
    static func queries(owner: UUID, requester: UUID) -> [(
        name: String, query: TicketQuery, visibility: TicketVisibility
    )] {
        func query(_ change: (inout TicketQuery) -> Void) -> TicketQuery {
            var query = TicketQuery()
            change(&query)
            return query
        }
        return [
            (
                "all open by deadline",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                }, .all
            ),
            (
                "tier by deadline",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                    $0.tier = .l1
                }, .all
            ),
            (
                "group by deadline",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                    $0.group = "Service desk"
                }, .all
            ),
            (
                "mine by deadline",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                    $0.owner = .person(owner)
                }, .all
            ),
            (
                "tier by deadline, later page",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                    $0.tier = .l2
                    $0.afterDeadline = DeadlineCursor(deadline: StoreFixture.t0, number: 1001)
                },
                .all
            ),
            (
                "tier without deadline, later page",
                query {
                    $0.openOnly = true
                    $0.byDeadline = true
                    $0.tier = .l2
                    $0.afterDeadline = DeadlineCursor(deadline: nil, number: 1001)
                },
                .all
            ),
            (
                "API: tier and new, newest first",
                query {
                    $0.tier = .l1
                    $0.statuses = [.new]
                }, .all
            ),
            ("API: newest first, later page", query { $0.beforeNumber = 5_000 }, .all),
            (
                "triage board",
                query {
                    $0.openOnly = true
                    $0.owner = .nobody
                    $0.oldestFirst = true
                }, .all
            ),
            ("a requester's own", query { _ in }, .requester(personID: requester, sharedOrganisationID: nil)),
        ]
    }

    @Test func queuesReadIndexesNotTheTable() async throws {
        try await StoreFixture.with { f in
            for index in 0..<20 { _ = try await f.open("Ticket \(index)", for: index % 2 == 0 ? f.alice : f.carol) }
            let sqlite = f.database.engine == .sqlite
            for (name, query, visibility) in Self.queries(owner: f.agent.id, requester: f.alice.id) {
                for plan in try await f.tickets.plans(query, visibility) {
                    let text = plan.joined(separator: " | ")
                    if sqlite {
                        let fullScan = plan.contains { $0.hasPrefix("SCAN tickets") && !$0.contains("INDEX") }
                        #expect(!fullScan, "\(name): \(text)")
                        if query.byDeadline {
                            #expect(!text.contains("TEMP B-TREE"), "\(name) sorts instead of reading in order: \(text)")
                        }
                    } else {
                        #expect(!text.contains("Seq Scan on tickets"), "\(name): \(text)")
                    }
                }
            }
        }
    }

    @Test func pagesByDeadlineContinueWhereTheLastEnded() async throws {
        try await StoreFixture.with { f in
            // Seven tickets: the high-impact ones get short deadlines; two are waiting (no running clock).
            var opened: [Ticket] = []
            for index in 0..<7 {
                opened.append(try await f.open("T\(index)", for: f.alice, at: Double(index) * 60))
            }
            for ticket in opened.prefix(2) {
                _ = try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                    let (waiting, change) = try TicketWorkflow()
                        .changeStatus(
                            current,
                            scope: scope,
                            to: .pendingCustomer,
                            comment: nil,
                            expectedVersion: current.version,
                            by: f.agent.actor,
                            at: StoreFixture.t0.addingTimeInterval(600)
                        )
                    return (waiting, change)
                }
            }
            var query = TicketQuery()
            query.openOnly = true
            query.byDeadline = true
            let all = try await f.tickets.list(query, visibility: .all)
            #expect(all.count == 7)
            // Deadlines first, soonest first; then those without, by number.
            let dated = all.filter { $0.nextDeadline != nil }
            #expect(dated.map(\.nextDeadline!) == dated.map(\.nextDeadline!).sorted())
            #expect(all.suffix(all.count - dated.count).allSatisfy { $0.nextDeadline == nil })
            var pages: [[Ticket]] = []
            query.limit = 2
            repeat {
                let page = try await f.tickets.list(query, visibility: .all)
                pages.append(page)
                query.afterDeadline = page.last.map(DeadlineCursor.init(after:))
                guard let text = query.afterDeadline?.text else { break }
                #expect(DeadlineCursor(text) == query.afterDeadline)
            } while pages.last?.count == 2
            #expect(pages.flatMap { $0 }.map(\.number) == all.map(\.number))
            #expect(DeadlineCursor("x12") == nil && DeadlineCursor("n0") == nil && DeadlineCursor("d1.5-") == nil)
        }
    }
}
