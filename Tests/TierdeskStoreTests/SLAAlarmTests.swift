import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

@Suite struct SLAAlarmTests {
    /// Opens a P3 ticket for Alice at t0 (Monday 16:13 in Berlin) with the standard policy.
    static func openP3(_ tickets: TicketRepository, _ f: StoreFixture) async throws -> Ticket {
        try await tickets.create(effects: f.effects) { number in
            try TicketWorkflow()
                .open(
                    TicketDraft(title: "Slow", description: "x"),
                    by: f.alice.actor,
                    references: TicketReferences(requester: f.alice),
                    number: number,
                    at: StoreFixture.t0
                )
        }
    }

    @Test func alarmsFireOnceAndFollowTheTicket() async throws {
        try await StoreFixture.with { f in
            let tickets = f.tickets
            let alarms = SLAAlarmRepository(f.database)
            let ticket = try await Self.openP3(tickets, f)
            let planned = try await alarms.alarms(ticketID: ticket.id)
            // First response: 8 working hours, warning after 6. Resolution: 9 working hours, warning after 6:45.
            #expect(
                planned.map {
                    "\($0.alarm.clock.rawValue) \($0.alarm.level.rawValue) \(Timestamp.format($0.alarm.fireAt))"
                } == [
                    "firstResponse warning 2026-09-22T11:13:20Z",
                    "resolution warning 2026-09-22T11:58:20Z",
                    "firstResponse breach 2026-09-22T13:13:20Z",
                    "resolution breach 2026-09-22T14:13:20Z",
                ]
            )
            #expect(try await alarms.nextFireAt() == Timestamp.parse("2026-09-22T11:13:20Z"))
            #expect(try await alarms.fireDue(at: Timestamp.parse("2026-09-22T11:00:00Z")!, effects: f.effects).isEmpty)

            let fired = try await alarms.fireDue(at: Timestamp.parse("2026-09-22T12:00:00Z")!, effects: f.effects)
            #expect(
                fired.map { "\($0.alarm.clock.rawValue) \($0.alarm.level.rawValue)" } == [
                    "firstResponse warning", "resolution warning",
                ]
            )
            #expect(try await alarms.fireDue(at: Timestamp.parse("2026-09-22T12:00:00Z")!, effects: f.effects).isEmpty)
            let events = try await tickets.events(ticketID: ticket.id, includeInternal: true)
            #expect(
                events.filter { $0.kind == .slaAlarm }.map { "\($0.field!) \($0.after!)" } == [
                    "firstResponse warning", "resolution warning",
                ]
            )
            #expect(
                try await tickets.events(ticketID: ticket.id, includeInternal: false)
                    .allSatisfy { $0.kind != .slaAlarm }
            )

            // An agent answers and puts the ticket on hold: no clock runs, so nothing more is pending.
            try await tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                let (replied, reply) = try TicketWorkflow()
                    .addMessage(
                        to: current,
                        scope: scope,
                        body: "On it",
                        isInternal: false,
                        by: f.agent.actor,
                        at: Timestamp.parse("2026-09-22T12:30:00Z")!
                    )
                let (held, change) = try TicketWorkflow()
                    .changeStatus(
                        replied,
                        scope: scope,
                        to: .onHold,
                        comment: nil,
                        expectedVersion: replied.version,
                        by: f.agent.actor,
                        at: Timestamp.parse("2026-09-22T12:30:00Z")!
                    )
                return (held, reply + change)
            }
            #expect(try await alarms.nextFireAt() == nil)
            #expect(try await alarms.fireDue(at: Timestamp.parse("2026-09-30T00:00:00Z")!, effects: f.effects).isEmpty)
            #expect(try await alarms.alarms(ticketID: ticket.id).allSatisfy { $0.firedAt != nil })
        }
    }

    /// Both instances escalate (notify, raise, reassign) as they claim; every action still happens once.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["TIERDESK_TEST_DATABASE_URL"] != nil,
            "several instances share PostgreSQL only"
        )
    )
    func twoInstancesFireEachAlarmExactlyOnce() async throws {
        try await StoreFixture.with { f in
            let staff = try await SLAEscalationStoreTests.staff(f)
            let configuration = try SLAConfiguration.standard.setting(
                policy: SLAPolicy(
                    name: "standard",
                    targets: SLAPolicy.standard.targets.filter { $0.key == .p3 },
                    escalation: [
                        .warning: [.notifyOwner],
                        .breach: [.notifyGroupLead, .notifyManagers, .raisePriority, .reassignToGroupLead],
                    ]
                )
            )
            let tickets = f.tickets
            let effects = StoreFixture.effects(planner: configuration)
            var opened: [Ticket] = []
            for _ in 0..<20 { opened.append(try await SLAEscalationStoreTests.openOwned(tickets, f, effects: effects)) }
            let second = try await TierdeskDatabase.open(f.database.location, logger: StoreFixture.logger)
            let instances = [SLAAlarmRepository(f.database), SLAAlarmRepository(second)]
            let late = Timestamp.parse("2026-09-30T00:00:00Z")!
            let fired = try await withThrowingTaskGroup(of: [FiredSLAAlarm].self) { group in
                for round in 0..<6 {
                    let instance = instances[round % 2]
                    group.addTask { try await instance.fireDue(at: late, limit: 7, effects: effects) }
                }
                return try await group.reduce(into: [FiredSLAAlarm]()) { $0 += $1 }
            }
            var remaining = try await instances[1].fireDue(at: late, limit: 1000, effects: effects)
            remaining += try await instances[0].fireDue(at: late, limit: 1000, effects: effects)
            await second.shutdown()
            let all = fired + remaining
            #expect(all.count == 20 * 4)
            #expect(Set(all.map { "\($0.ticketID) \($0.alarm.clock) \($0.alarm.level)" }).count == 20 * 4)
            for ticket in opened {
                let events = try await tickets.events(ticketID: ticket.id, includeInternal: true)
                #expect(events.filter { $0.kind == .slaAlarm }.count == 4)
                // Two breaches (first response, resolution) each raise once: P3 → P2 → P1; the lead takes it once.
                #expect(events.filter { $0.field == "priority" }.map { $0.after ?? "" } == ["P2", "P1"])
                #expect(events.filter { $0.field == "ownerId" && $0.actorID == nil }.count == 1)
                let stored = try #require(try await tickets.find(number: ticket.number))
                #expect(stored.priority == .p1 && stored.ownerID == staff.lead.id)
            }
            // P1 has no targets in this policy, so nothing is left to fire; each person heard of each alarm once.
            let notifications = NotificationRepository(f.database)
            #expect(try await notifications.unreadCount(personID: f.agent.id) == 20 * 2)
            #expect(try await notifications.unreadCount(personID: staff.lead.id) == 20 * 2)
            #expect(try await notifications.unreadCount(personID: staff.manager.id) == 20 * 2)
        }
    }
}

@Suite struct SLAAlarmEncodingTests {
    @Test func storedAlarmsReadBackExactly() throws {
        var entries = [
            SLAAlarmRepository.Entry(
                SLAAlarm(
                    clock: .firstResponse,
                    level: .warning,
                    due: Date(timeIntervalSince1970: 1_790_049_200.123456),
                    fireAt: Date(timeIntervalSince1970: 1_790_040_000.5)
                )
            ),
            SLAAlarmRepository.Entry(
                SLAAlarm(
                    clock: .resolution,
                    level: .breach,
                    due: Date(timeIntervalSince1970: -86_400.25),
                    fireAt: Date(timeIntervalSince1970: 0)
                )
            ),
        ]
        entries[1].firedAt = 1_790_000_000.000001
        let text = SLAAlarmRepository.encode(entries)
        let decoded = try JSONDecoder().decode([SLAAlarmRepository.Entry].self, from: Data(text.utf8))
        #expect(decoded.map(\.key) == entries.map(\.key))
        #expect(
            decoded.map(\.fireAt) == entries.map(\.fireAt) && decoded.map(\.due) == entries.map(\.due)
                && decoded.map(\.firedAt) == entries.map(\.firedAt)
        )
        #expect(SLAAlarmRepository.encode([]) == "[]")
    }
}
