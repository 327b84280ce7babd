import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// Every ticket write path stores what it causes in its own transaction (the deadline and alarms, mail,
/// webhooks) and wakes the senders once it has committed: opening, changing, an SLA escalation, and alert
/// intake opening and resolving a ticket. The effects are a required argument of each path, so this is
/// the list to extend when a new path appears.
struct WriteEffectsTests {
    final class Wakes: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var total: Int { lock.withLock { count } }
    }

    @Test func everyWritePathQueuesItsEffects() async throws {
        try await StoreFixture.with { f in
            let staff = try await SLAEscalationStoreTests.staff(f)
            let wakes = Wakes()
            let identity = DeskMailIdentity(address: "support@desk.example", name: "Service Desk")
            let effects = TicketWriteEffects(
                planner: SLAEscalationStoreTests.configuration,
                mail: .queued(from: identity),
                pager: StoreFixture.messenger,
                queued: { wakes.add() }
            )
            let subscription = WebhookSubscription(
                id: UUID(),
                url: "https://hooks.example.com/in",
                events: Set(WebhookSubscription.EventType.allCases),
                allowPrivateTargets: false,
                createdAt: StoreFixture.t0
            )
            try await WebhookRepository(f.database).create(subscription, secret: "s")
            let outbox = OutboxRepository(f.database)
            let alarms = SLAAlarmRepository(f.database)
            func queued(_ ticket: Ticket) async throws -> [OutboxMessage.Channel] {
                try await outbox.list(status: nil).filter { $0.ticketID == ticket.id }.map(\.channel)
            }

            // Opening: a deadline and alarms, the requester's mail, a webhook, one wake-up.
            let opened = try await SLAEscalationStoreTests.openOwned(f.tickets, f, effects: effects)
            #expect(opened.nextDeadline == StoreFixture.t0.addingTimeInterval(3600))
            #expect(try await alarms.alarms(ticketID: opened.id).count == 2)
            var channels = try await queued(opened)
            #expect(channels.contains(.webhook) && channels.contains(.mail))
            #expect(wakes.total == 1)

            // Changing: a public reply is mailed and posted.
            try await f.tickets.modify(number: opened.number, effects: effects) { current, scope in
                try TicketWorkflow()
                    .addMessage(
                        to: current,
                        scope: scope,
                        body: "On it",
                        isInternal: false,
                        by: f.agent.actor,
                        at: StoreFixture.t0.addingTimeInterval(60)
                    )
            }
            let afterReply = try await queued(opened)
            #expect(afterReply.count { $0 == .webhook } == channels.count { $0 == .webhook } + 1)
            #expect(afterReply.count { $0 == .mail } > channels.count { $0 == .mail })
            #expect(wakes.total == 2)
            channels = afterReply

            // An SLA breach gives the ticket to the group lead: replanned, posted, mailed to the new owner.
            _ = try await alarms.fireDue(at: StoreFixture.t0.addingTimeInterval(61 * 60), effects: effects)
            let escalated = try #require(try await f.tickets.find(number: opened.number))
            #expect(escalated.ownerID == staff.lead.id)
            #expect(escalated.nextDeadline == StoreFixture.t0.addingTimeInterval(30 * 60))
            let afterBreach = try await queued(opened)
            #expect(afterBreach.count { $0 == .webhook } > channels.count { $0 == .webhook })
            #expect(afterBreach.count { $0 == .mail } > channels.count { $0 == .mail })
            #expect(wakes.total == 3)

            // Alert intake opens a ticket with a deadline and a webhook, then resolves it with another.
            let ticketing = try AlertTicketing(
                workflow: TicketWorkflow(),
                rules: TriageRules(rules: []),
                articles: [:],
                settings: AlertIntakeSettings(),
                reporter: f.agent,
                services: [:],
                now: StoreFixture.t0
            )
            func signal(_ action: AlertSignal.Action) -> AlertSignal {
                AlertSignal(
                    source: .alertmanager,
                    key: "fp",
                    action: action,
                    summary: "HighErrorRate",
                    labels: ["severity": "warning"],
                    startedAt: StoreFixture.t0,
                    endedAt: action == .resolve ? StoreFixture.t0.addingTimeInterval(60) : nil
                )
            }
            let alerts = AlertRepository(f.database)
            let number = try #require(
                try await alerts.ingest([signal(.trigger)], with: ticketing, effects: effects).first?.ticketNumber
            )
            let alertTicket = try #require(try await f.tickets.find(number: number))
            #expect(alertTicket.nextDeadline != nil)
            #expect(try await queued(alertTicket) == [.webhook])
            #expect(wakes.total == 4)
            _ = try await alerts.ingest([signal(.resolve)], with: ticketing, effects: effects)
            #expect(try await queued(alertTicket) == [.webhook, .webhook])
            #expect(try await f.tickets.find(number: number)?.nextDeadline == nil)
            #expect(wakes.total == 5)
        }
    }
}
