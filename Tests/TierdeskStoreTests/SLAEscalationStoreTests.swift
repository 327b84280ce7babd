import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// Escalation when alarms fire, and recomputing open tickets after the SLA settings change.
@Suite struct SLAEscalationStoreTests {
    /// P3 resolves in 60 minutes and P2 in 30, around the clock; a breach tells the lead and the managers,
    /// raises the priority and gives the ticket to the lead.
    static let configuration = try! SLAConfiguration(
        calendars: [:],
        policies: [
            SLAPolicy(
                name: "standard",
                targets: [
                    .p3: [.resolution: SLATarget(minutes: 60, calendar: "24x7")],
                    .p2: [.resolution: SLATarget(minutes: 30, calendar: "24x7")],
                ],
                escalation: [
                    .warning: [.notifyOwner],
                    .breach: [.notifyGroupLead, .notifyManagers, .raisePriority, .reassignToGroupLead],
                ]
            )
        ]
    )

    struct Staff {
        var lead: Person
        var manager: Person
    }

    static func staff(_ f: StoreFixture) async throws -> Staff {
        let lead = Person(
            id: UUID(),
            email: "lars@example.com",
            name: "Lars",
            roles: [.agent],
            tier: .l2,
            createdAt: StoreFixture.t0
        )
        let manager = Person(
            id: UUID(),
            email: "mia@example.com",
            name: "Mia",
            roles: [.manager],
            createdAt: StoreFixture.t0
        )
        var retired = Person(
            id: UUID(),
            email: "old@example.com",
            name: "Old",
            roles: [.manager],
            createdAt: StoreFixture.t0
        )
        retired.active = false
        for person in [lead, manager, retired] { try await f.directory.save(person, passwordHash: nil) }
        try await SupportGroupRepository(f.database).save(SupportGroup(name: "MES", tier: .l2, leadID: lead.id))
        return Staff(lead: lead, manager: manager)
    }

    /// Agnes opens a ticket for Alice in group MES and keeps it.
    static func openOwned(
        _ tickets: TicketRepository,
        _ f: StoreFixture,
        effects: TicketWriteEffects,
        at offset: TimeInterval = 0
    ) async throws -> Ticket {
        try await tickets.create(effects: effects) { number in
            try TicketWorkflow()
                .open(
                    TicketDraft(
                        title: "Line 2 scanner",
                        description: "x",
                        requesterID: f.alice.id,
                        group: "MES",
                        ownerID: f.agent.id
                    ),
                    by: f.agent.actor,
                    references: TicketReferences(requester: f.alice, owner: f.agent),
                    number: number,
                    at: StoreFixture.t0.addingTimeInterval(offset)
                )
        }
    }

    @Test func aBreachNotifiesUpTheHierarchyRaisesAndReassignsOnce() async throws {
        try await StoreFixture.with { f in
            let staff = try await Self.staff(f)
            let tickets = f.tickets
            let effects = StoreFixture.effects(planner: Self.configuration)
            let alarms = SLAAlarmRepository(f.database)
            let notifications = NotificationRepository(f.database)
            let ticket = try await Self.openOwned(tickets, f, effects: effects)
            #expect(ticket.priority == .p3)

            let fired = try await alarms.fireDue(at: StoreFixture.t0.addingTimeInterval(61 * 60), effects: effects)
            #expect(fired.map { "\($0.alarm.level.rawValue) \($0.notified.count)" } == ["warning 1", "breach 2"])
            let raised = try #require(try await tickets.find(number: ticket.number))
            #expect(
                raised.priority == .p2 && raised.severity == .sev2 && raised.ownerID == staff.lead.id
                    && raised.version == ticket.version + 1
            )
            // P2 resolves in 30 minutes from creation: due already, so its alarms are pending now.
            #expect(raised.nextDeadline == StoreFixture.t0.addingTimeInterval(30 * 60))
            #expect(try await notifications.list(personID: f.agent.id).map(\.kind) == [.slaWarning])
            #expect(
                try await notifications.list(personID: staff.manager.id).map(\.message) == [
                    "\(ticket.reference) P3: the resolution target was breached at \(Timestamp.format(StoreFixture.t0.addingTimeInterval(3600)))"
                ]
            )

            // The P2 alarms fire: the lead (now the owner) and the manager hear of them, nothing is raised again.
            let second = try await alarms.fireDue(at: StoreFixture.t0.addingTimeInterval(62 * 60), effects: effects)
            #expect(second.map { "\($0.alarm.level.rawValue) \($0.notified.count)" } == ["warning 1", "breach 2"])
            let after = try #require(try await tickets.find(number: ticket.number))
            #expect(after.priority == .p2 && after.version == raised.version)
            #expect(try await notifications.unreadCount(personID: staff.lead.id) == 3)
            #expect(try await notifications.unreadCount(personID: staff.manager.id) == 2)
            #expect(try await alarms.fireDue(at: StoreFixture.t0.addingTimeInterval(86_400), effects: effects).isEmpty)

            let history = try await tickets.events(ticketID: ticket.id, includeInternal: true)
            #expect(
                history.map { "\($0.kind.rawValue) \($0.field ?? "")" } == [
                    "created ", "sla_alarm resolution", "sla_alarm resolution", "field_changed priority",
                    "field_changed severity", "assigned ownerId",
                    "sla_alarm resolution", "sla_alarm resolution",
                ]
            )
            #expect(
                history[2].body == "notified 2 people; raised the priority to P2; gave the ticket to the group lead"
            )

            // Reading notifications marks them read, for their owner only.
            let first = try #require(try await notifications.list(personID: staff.manager.id).first)
            #expect(try await notifications.markRead(id: first.id, personID: f.agent.id, at: StoreFixture.t0) == false)
            #expect(try await notifications.markRead(id: first.id, personID: staff.manager.id, at: StoreFixture.t0))
            #expect(try await notifications.unreadCount(personID: staff.manager.id) == 1)
            try await notifications.markAllRead(personID: staff.manager.id, at: StoreFixture.t0)
            #expect(try await notifications.list(personID: staff.manager.id, unreadOnly: true).isEmpty)
        }
    }

    @Test func anEscalationReassignmentReachesWebhookSubscribers() async throws {
        try await StoreFixture.with { f in
            let staff = try await Self.staff(f)
            let tickets = f.tickets
            let effects = StoreFixture.effects(planner: Self.configuration)
            let alarms = SLAAlarmRepository(f.database)
            let subscription = WebhookSubscription(
                id: UUID(),
                url: "https://hooks.example.com/in",
                events: [.ticketAssigned],
                allowPrivateTargets: false,
                createdAt: StoreFixture.t0
            )
            try await WebhookRepository(f.database).create(subscription, secret: "s")
            let ticket = try await Self.openOwned(tickets, f, effects: effects)
            #expect(try await OutboxRepository(f.database).list(status: nil).isEmpty)
            _ = try await alarms.fireDue(at: StoreFixture.t0.addingTimeInterval(61 * 60), effects: effects)
            let queued = try await OutboxRepository(f.database).list(status: nil)
            #expect(queued.map(\.channel) == [.webhook] && queued.first?.ticketID == ticket.id)
            let delivery = try JSONDecoder().decode(WebhookDelivery.self, from: try #require(queued.first).payload)
            let payload = try JSONDecoder().decode(WebhookPayload.self, from: delivery.body)
            #expect(payload.type == .ticketAssigned && payload.ticket.ownerId == staff.lead.id)
        }
    }

    @Test func newSettingsReplanOpenTicketsAndKeepWhatFired() async throws {
        try await StoreFixture.with { f in
            let tickets = f.tickets
            let alarms = SLAAlarmRepository(f.database)
            // Office hours 07:00–18:00 instead of the standard 08:00–17:00.
            var wider = SLAPolicy.standardOffice
            for day in [Weekday.mon, .tue, .wed, .thu, .fri] {
                wider.weekly[day] = [OpeningWindow(start: 7 * 60, end: 18 * 60)]
            }
            let edited = try SLAConfiguration.standard.setting(calendar: wider, named: SLAPolicy.officeCalendarName)
            var opened: [Ticket] = []
            for index in 0..<3 {
                opened.append(
                    try await tickets.create(effects: StoreFixture.effects(planner: edited)) { number in
                        try TicketWorkflow()
                            .open(
                                TicketDraft(title: "T\(index)", description: "details"),
                                by: f.alice.actor,
                                references: TicketReferences(requester: f.alice),
                                number: number,
                                at: StoreFixture.t0.addingTimeInterval(Double(index) * 60)
                            )
                    }
                )
            }
            let planned =
                try await tickets.modify(number: opened[0].number, effects: f.effects) { current, scope in
                    try TicketWorkflow()
                        .changeStatus(
                            current,
                            scope: scope,
                            to: .resolved,
                            comment: "fixed",
                            expectedVersion: current.version,
                            by: f.agent.actor,
                            at: StoreFixture.t0.addingTimeInterval(600)
                        )
                }
                .0
            #expect(planned.nextDeadline == nil)
            // They were planned with the wider hours: replanning with the standard ones moves the other two.
            #expect(try await tickets.replanOpenTickets(planner: SLAConfiguration.standard) == 2)
            #expect(try await tickets.replanOpenTickets(planner: SLAConfiguration.standard) == 0)
            let standardDue = try #require(try await tickets.find(number: opened[1].number)?.nextDeadline)
            // Opened a minute after t0, Monday 16:14:20 in Berlin; first response (8 working hours) is Tuesday 15:14:20 CEST.
            #expect(standardDue == Timestamp.parse("2026-09-22T13:14:20Z"))
            let warned = try await alarms.fireDue(at: Timestamp.parse("2026-09-22T11:30:00Z")!, effects: f.effects)
            #expect(warned.count == 2)

            // Office hours become 07:00–18:00 again: the open tickets move, the warnings that fired stay fired.
            #expect(try await tickets.replanOpenTickets(planner: edited) == 2)
            // Monday 16:14:20–18:00 is 1:45:40; the remaining 6:14:20 from Tuesday 07:00 → 13:14:20 CEST.
            #expect(
                try await tickets.find(number: opened[1].number)?.nextDeadline
                    == Timestamp.parse("2026-09-22T11:14:20Z")
            )
            #expect(try await tickets.find(number: opened[0].number)?.nextDeadline == nil)
            let states = try await alarms.alarms(ticketID: opened[1].id)
            #expect(states.filter { $0.firedAt != nil }.count == 1)
            #expect(
                states.filter { $0.firedAt == nil }.map { "\($0.alarm.clock.rawValue) \($0.alarm.level.rawValue)" }
                    .sorted() == [
                        "firstResponse breach", "firstResponse warning", "resolution breach", "resolution warning",
                    ]
            )
        }
    }
}
