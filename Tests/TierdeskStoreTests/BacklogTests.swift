import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// The backlog `/metrics` reports, on both databases: undelivered messages by channel and status, SLA
/// alarms due, open pages, and the write transactions' totals.
struct BacklogTests {
    let t0 = StoreFixture.t0

    @Test func countsWhatWaitsAndNothingDone() async throws {
        try await StoreFixture.with { f in
            let backlog = BacklogRepository(f.database)
            #expect(try await backlog.backlog(at: t0) == .init())
            let before = await f.database.writeActivity()

            // A Sev1 ticket pages the primary (a page mail); a Sev3 ticket mails its requester.
            _ = try await OnCallStoreTests().setUp(f, primary: f.agent, secondary: f.agent)
            let effects = StoreFixture.effects(
                mail: .queued(from: OnCallStoreTests.identity),
                pager: OnCallStoreTests.messenger
            )
            for (title, severity) in [("Line 3 halted", Severity.sev1), ("Label printer jams", Severity.sev3)] {
                _ = try await f.tickets.create(effects: effects) { number in
                    try TicketWorkflow()
                        .open(
                            TicketDraft(title: title, description: "x", severity: severity, requesterID: f.alice.id),
                            by: f.agent.actor,
                            references: TicketReferences(requester: f.alice),
                            number: number,
                            at: t0
                        )
                }
            }
            var now = try await backlog.backlog(at: t0)
            #expect(now.pages == [.triggered: 1])
            #expect(now.slaAlarmsDue == 0)
            // Two acknowledgements to the requester and the page's mail to the primary.
            #expect(now.outbox == [.mail: [.pending: 3]])

            // A sender claims one message; a week later both tickets' SLA alarms are due.
            let outbox = OutboxRepository(f.database)
            let claim = try await outbox.claim(limit: 1, at: t0, lease: 60)
            #expect(claim.messages.count == 1)
            now = try await backlog.backlog(at: t0.addingTimeInterval(7 * 86_400))
            #expect(now.outbox == [.mail: [.pending: 2, .sending: 1]])
            #expect(now.slaAlarmsDue == 2)

            // Acknowledged and then resolved, the page leaves the backlog.
            let pages = PageRepository(f.database, messenger: OnCallStoreTests.messenger, queued: {})
            let page = try #require(try await pages.list().first)
            _ = try await pages.acknowledge(page.id, by: f.agent.id, at: t0.addingTimeInterval(60))
            #expect(try await backlog.backlog(at: t0).pages == [.acknowledged: 1])
            _ = try await pages.resolve(page.id, by: f.agent.id, at: t0.addingTimeInterval(120))
            #expect(try await backlog.backlog(at: t0).pages == [:])

            let after = await f.database.writeActivity()
            #expect(after.transactions > before.transactions && after.failures == before.failures)
            #expect(after.secondsHeld > before.secondsHeld && after.waiting == 0 && after.creationsWaiting == 0)
        }
    }
}
