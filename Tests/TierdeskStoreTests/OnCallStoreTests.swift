import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// On call on both databases: a Sev1 ticket pages the primary in its own transaction, the secondary after
/// the wait unless acknowledged; acknowledging cancels what is queued; two instances send each step once.
struct OnCallStoreTests {
    static let identity = DeskMailIdentity(address: "support@desk.example", name: "Service Desk")
    static let messenger = PageMessenger(identity: identity) { page, person in
        "https://desk.example/pages/\(page)/acknowledge?person=\(person)"
    }
    let t0 = StoreFixture.t0

    /// A schedule with `primary` and `secondary` around the clock, a policy (primary, wait 5, secondary,
    /// wait 10) for Sev1 tickets, and ticket write effects that page.
    func setUp(_ f: StoreFixture, primary: Person, secondary: Person) async throws -> (
        EscalationPolicy, TicketWriteEffects
    ) {
        let oncall = OnCallRepository(f.database)
        let spec = OnCallScheduleSpec(
            name: "Production",
            timeZone: "Europe/Berlin",
            layers: [
                .init(role: .primary, members: [primary.id], startsOn: "2026-01-05"),
                .init(role: .secondary, members: [secondary.id], startsOn: "2026-01-05"),
            ]
        )
        let schedule = try spec.schedule(id: UUID())
        try await oncall.saveSchedule(
            id: schedule.id,
            spec: spec,
            coverage: schedule.coverage(in: t0..<t0.addingTimeInterval(86_400)),
            at: t0,
            replacing: false
        )
        let policy = try EscalationPolicySpec(
            name: "Sev1",
            steps: [
                .init(scheduleId: schedule.id, role: .primary, waitMinutes: 5),
                .init(scheduleId: schedule.id, role: .secondary, waitMinutes: 10),
            ]
        )
        .policy(id: UUID())
        try await oncall.savePolicy(policy, at: t0, replacing: false)
        try await SettingsRepository(f.database).save(PagingSettings(sev1PolicyId: policy.id))
        return (policy, StoreFixture.effects(pager: Self.messenger))
    }

    func pageMail(_ f: StoreFixture) async throws -> [(OutboxMessage, OutgoingMail)] {
        try await OutboxRepository(f.database).list(status: nil).filter { $0.pageID != nil }
            .sorted { $0.createdAt < $1.createdAt }
            .map { ($0, try JSONDecoder().decode(OutgoingMail.self, from: $0.payload)) }
    }

    @Test func sev1PagesThePrimaryAtOnceTheSecondaryAfterTheWaitAndStopsOnAcknowledgement() async throws {
        try await StoreFixture.with { f in
            let second = Person(
                id: UUID(),
                email: "sam@example.com",
                name: "Sam",
                roles: [.agent],
                tier: .l2,
                organisationID: nil,
                createdAt: t0
            )
            try await f.directory.save(second, passwordHash: nil)
            let (policy, effects) = try await setUp(f, primary: f.agent, secondary: second)
            let ticket = try await f.tickets.create(effects: effects) { number in
                try TicketWorkflow()
                    .open(
                        TicketDraft(
                            title: "Line 3 halted",
                            description: "PLC down",
                            severity: .sev1,
                            requesterID: f.alice.id
                        ),
                        by: f.agent.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: t0
                    )
            }
            let pages = PageRepository(f.database, messenger: Self.messenger, queued: {})
            let page = try #require(try await pages.list(ticketID: ticket.id).first)
            #expect(
                page.policyID == policy.id && page.status == .triggered && page.nextStep == 1
                    && page.nextStepAt == t0.addingTimeInterval(300)
            )
            var mail = try await pageMail(f)
            #expect(mail.map(\.1.to[0].address) == ["agnes@example.com"])
            #expect(mail[0].1.subject == "Page: [Sev1] \(ticket.reference) Line 3 halted")
            #expect(mail[0].1.text.contains("https://desk.example/pages/\(page.id)/acknowledge?person=\(f.agent.id)"))

            #expect(try await pages.dispatchDue(at: t0.addingTimeInterval(299)) == 0)
            #expect(try await pages.dispatchDue(at: t0.addingTimeInterval(300)) == 1)
            #expect(try await pages.dispatchDue(at: t0.addingTimeInterval(300)) == 0)
            mail = try await pageMail(f)
            #expect(mail.map(\.1.to[0].address) == ["agnes@example.com", "sam@example.com"])

            // The secondary acknowledges: the chain stops and the mail still queued is cancelled.
            guard
                case .changed(let acknowledged) = try await pages.acknowledge(
                    page.id,
                    by: second.id,
                    at: t0.addingTimeInterval(360)
                )
            else {
                Issue.record("not acknowledged")
                return
            }
            #expect(
                acknowledged.status == .acknowledged && acknowledged.acknowledgedBy == second.id
                    && acknowledged.nextStepAt == nil
            )
            #expect(try await pageMail(f).map(\.0.status) == [.cancelled, .cancelled])
            #expect(try await pages.dispatchDue(at: t0.addingTimeInterval(3600)) == 0)
            #expect(
                try await pages.acknowledge(page.id, by: f.agent.id, at: t0.addingTimeInterval(400))
                    == .unchanged(acknowledged)
            )

            // Resolving the ticket resolves the page.
            try await f.tickets.modify(number: ticket.number, effects: effects) { current, scope in
                try TicketWorkflow()
                    .changeStatus(
                        current,
                        scope: scope,
                        to: .resolved,
                        comment: "PLC replaced",
                        resolution: .solved,
                        expectedVersion: current.version,
                        by: second.actor,
                        at: t0.addingTimeInterval(900)
                    )
            }
            #expect(try await pages.find(page.id)?.status == .resolved)
            #expect(
                try await pages.events(of: page.id).map(\.kind) == [
                    .started, .notified, .notified, .acknowledged, .resolved,
                ]
            )
        }
    }

    @Test func aPrimaryWhoLeftIsPassedAtOnceAndATextWithoutGatewayFallsBackToMail() async throws {
        try await StoreFixture.with { f in
            var gone = Person(
                id: UUID(),
                email: "gone@example.com",
                name: "Gone",
                roles: [.agent],
                tier: .l2,
                organisationID: nil,
                createdAt: t0
            )
            gone.active = false
            try await f.directory.save(gone, passwordHash: nil)
            let (_, effects) = try await setUp(f, primary: gone, secondary: f.agent)
            try await OnCallRepository(f.database)
                .setContacts([ContactMethod(kind: .sms, address: "+4915100000000")], of: f.agent.id, at: t0)
            let ticket = try await f.tickets.create(effects: effects) { number in
                try TicketWorkflow()
                    .open(
                        TicketDraft(
                            title: "Line 3 halted",
                            description: "PLC down",
                            severity: .sev1,
                            requesterID: f.alice.id
                        ),
                        by: f.agent.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: t0
                    )
            }
            let pages = PageRepository(f.database, messenger: Self.messenger, queued: {})
            let page = try #require(try await pages.list(ticketID: ticket.id).first)
            // The secondary is paged at once, by mail since texts have no gateway; nothing waits five minutes for the primary.
            #expect(try await pageMail(f).map(\.1.to[0].address) == ["agnes@example.com"])
            #expect(page.nextStepAt == nil)
            let events = try await pages.events(of: page.id)
            #expect(events.map(\.kind) == [.started, .skipped, .skipped, .notified])
            #expect(
                events[1].detail == "nobody on call who can be paged"
                    && events[2].detail == "sms: no SMS/voice gateway is configured"
            )
        }
    }

    @Test func onlyARiseToAPagedSeverityStartsAPageAndOnlyOnce() async throws {
        try await StoreFixture.with { f in
            let (_, effects) = try await setUp(f, primary: f.agent, secondary: f.agent)
            let pages = PageRepository(f.database, messenger: Self.messenger, queued: {})
            let ticket = try await f.tickets.create(effects: effects) { number in
                try TicketWorkflow()
                    .open(
                        TicketDraft(title: "Slow reports", description: "x", requesterID: f.alice.id),
                        by: f.agent.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: t0
                    )
            }
            #expect(try await pages.list().isEmpty)
            // Sev2 has no policy: nothing pages.
            try await f.tickets.modify(number: ticket.number, effects: effects) { current, scope in
                try TicketWorkflow()
                    .update(
                        current,
                        scope: scope,
                        with: TicketChanges(severity: .sev2),
                        expectedVersion: current.version,
                        by: f.agent.actor,
                        references: TicketReferences(),
                        at: t0.addingTimeInterval(60)
                    )
            }
            #expect(try await pages.list().isEmpty)
            for (index, severity) in [Severity.sev3, .sev1, .sev3, .sev1].enumerated() {
                try await f.tickets.modify(number: ticket.number, effects: effects) { current, scope in
                    try TicketWorkflow()
                        .update(
                            current,
                            scope: scope,
                            with: TicketChanges(severity: severity),
                            expectedVersion: current.version,
                            by: f.agent.actor,
                            references: TicketReferences(),
                            at: t0.addingTimeInterval(Double(120 + index * 60))
                        )
                }
            }
            // Raised to Sev1 twice while the first page is still open: one page.
            #expect(try await pages.list().count == 1)
        }
    }

    @Test func twoInstancesSendEveryStepExactlyOnce() async throws {
        try await StoreFixture.with { f in
            let (policy, _) = try await setUp(f, primary: f.agent, secondary: f.agent)
            let first = PageRepository(f.database, messenger: Self.messenger, queued: {})
            for n in 0..<12 {
                _ = try await first.start(
                    ticketID: nil,
                    policyID: policy.id,
                    title: "Page \(n)",
                    severity: .sev1,
                    by: nil,
                    at: t0
                )
            }
            let other =
                f.database.engine == .sqlite
                ? f.database : try await TierdeskDatabase.open(f.database.location, logger: StoreFixture.logger)
            defer { if other !== f.database { Task { await other.shutdown() } } }
            let instances = [first, PageRepository(other, messenger: Self.messenger, queued: {})]
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for instance in instances {
                    group.addTask {
                        var total = 0
                        for minute in [5, 5, 6, 15, 16, 30] {
                            while true {
                                let sent = try await instance.dispatchDue(
                                    at: t0.addingTimeInterval(Double(minute * 60)),
                                    limit: 2
                                )
                                if sent == 0 { break }
                                total += sent
                            }
                        }
                        return total
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent == 12)
            let messages = try await OutboxRepository(f.database).list(status: nil, limit: 1000)
                .filter { $0.pageID != nil }
            #expect(messages.count == 24 && Set(messages.map(\.key)).count == 24)
            for page in try await first.list() {
                #expect(try await first.events(of: page.id).map(\.kind) == [.started, .notified, .notified])
                #expect(page.nextStepAt == nil && page.nextStep == 2)
            }
        }
    }

    @Test func schedulesOverridesContactsAndFeedsRoundTrip() async throws {
        try await StoreFixture.with { f in
            let oncall = OnCallRepository(f.database)
            let spec = OnCallScheduleSpec(
                name: "Night",
                timeZone: "America/New_York",
                layers: [
                    .init(
                        role: .primary,
                        members: [f.agent.id],
                        startsOn: "2026-11-02",
                        handoffTime: "18:00",
                        supportHours: ["mon": [.init(start: "18:00", end: "24:00")]]
                    )
                ]
            )
            let id = UUID()
            let schedule = try spec.schedule(id: id)
            let coverage = schedule.coverage(in: t0..<t0.addingTimeInterval(7 * 86_400))
            try await oncall.saveSchedule(id: id, spec: spec, coverage: coverage, at: t0, replacing: false)
            #expect(
                try await oncall.saveSchedule(id: UUID(), spec: spec, coverage: coverage, at: t0, replacing: true)
                    == false
            )
            let stored = try #require(try await oncall.storedSchedule(id))
            #expect(stored.spec == spec && stored.coverage == coverage && stored.coverageCheckedAt == t0)
            let override = OnCallOverride(
                role: .primary,
                personID: f.bob.id,
                start: t0,
                end: t0.addingTimeInterval(3600),
                createdAt: t0
            )
            try await oncall.addOverride(override, to: id, by: f.agent.id)
            let loaded = try await oncall.schedules([id], from: t0, until: t0.addingTimeInterval(60))
            #expect(loaded[id]?.overrides == [override] && loaded[id]?.onCall(.primary, at: t0) == f.bob.id)
            #expect(
                try await
                    oncall.schedules([id], from: t0.addingTimeInterval(3600), until: t0.addingTimeInterval(7200))[id]?
                    .overrides.isEmpty == true
            )
            #expect(try await oncall.deleteOverride(override.id, of: id))
            #expect(try await oncall.overrides(of: id, endingAfter: t0).isEmpty)

            #expect(try await oncall.contacts(of: f.agent.id).isEmpty)
            let methods = [
                ContactMethod(kind: .sms, address: "+4930123456"),
                ContactMethod(kind: .email, address: "agnes@example.com"),
            ]
            try await oncall.setContacts(methods, of: f.agent.id, at: t0)
            try await oncall.setContacts(methods.reversed(), of: f.agent.id, at: t0)
            #expect(try await oncall.contacts(of: f.agent.id) == methods.reversed())

            try await oncall.issueFeed(.schedule(id), tokenHash: "old", at: t0)
            try await oncall.issueFeed(.schedule(id), tokenHash: "new", at: t0)
            #expect(try await oncall.feedSubject(tokenHash: "old") == nil)
            #expect(try await oncall.feedSubject(tokenHash: "new") == .schedule(id))
            #expect(try await oncall.deleteSchedule(id))
            #expect(try await oncall.feedSubject(tokenHash: "new") == nil)
            #expect(try await oncall.storedSchedules().isEmpty)
        }
    }
}
