import Foundation
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// The reports' projection against a recomputation from events, on random histories: the checklist and
/// every figure of many periods and tier filters agree, after the histories are imported, after tickets
/// change through the API, as clocks fall due with time alone, and after the SLA settings change.
struct ReportProjectionTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let first = ServerFixture.t0.addingTimeInterval(-75 * 86_400)

    /// Random histories over the 75 days before the fixture's clock (ending before it): replies of both sides, waits, every
    /// kind of escalation with and without evidence, hand-backs, reopenings, severity raised to Sev1 and
    /// lowered, data corrections by privileged and unprivileged staff, KEDB articles applied at L1, missed
    /// updates and confirmed fixes.
    static func histories(_ f: ServerFixture, count: Int, seed: UInt64) -> [TicketRepository.History] {
        var random = Random(state: seed)
        let requesters = [f.people["alice"]!, f.people["bob"]!, f.people["carol"]!]
        let lena = f.people["lena"]!
        let omar = f.people["omar"]!
        return (0..<count)
            .map { index in
                let requester = requesters[random.below(requesters.count)]
                let created = first.addingTimeInterval(Double(random.below(55 * 86_400)))
                let priority = Priority.allCases[random.below(Priority.allCases.count)]
                var ticket = Ticket(
                    id: .timeOrdered(),
                    number: 5_000 + index,
                    type: .incident,
                    channel: Channel.allCases[random.below(Channel.allCases.count)],
                    title: "Random \(index)",
                    description: "Generated",
                    requesterID: requester.id,
                    organisationID: requester.organisationID!,
                    serviceID: nil,
                    impact: .medium,
                    urgency: .medium,
                    priority: priority,
                    severity: Severity(derivedFrom: priority),
                    status: .new,
                    tier: .l1,
                    group: nil,
                    ownerID: nil,
                    vendorID: nil,
                    workaroundApplied: false,
                    requestedBy: nil,
                    version: 1,
                    createdAt: created,
                    updatedAt: created
                )
                var at = created
                var events = [TicketEvent(ticketID: ticket.id, kind: .created, actorID: requester.id, at: created)]
                func add(
                    _ kind: TicketEventKind,
                    by person: Person,
                    field: String? = nil,
                    before: String? = nil,
                    after: String? = nil,
                    body: String? = nil
                ) {
                    events.append(
                        TicketEvent(
                            ticketID: ticket.id,
                            kind: kind,
                            actorID: person.id,
                            at: at,
                            field: field,
                            before: before,
                            after: after,
                            body: body,
                            byStaff: person.roles.contains(.agent)
                        )
                    )
                }
                func status(_ next: TicketStatus, by person: Person) {
                    guard next != ticket.status else { return }
                    add(
                        .statusChanged,
                        by: person,
                        field: "status",
                        before: ticket.status.rawValue,
                        after: next.rawValue
                    )
                    ticket.status = next
                }
                for _ in 0..<random.below(9) {
                    at = at.addingTimeInterval(Double(60 * (5 + random.below(random.below(2) == 0 ? 120 : 3_000))))
                    let staff = ticket.tier == .l1 ? lena : omar
                    switch random.below(13) {
                    case 0, 1:
                        add(.publicReply, by: staff, body: "On it.")
                    case 2:
                        add(.publicReply, by: requester, body: "Any news?")
                    case 3:
                        status([.acknowledged, .inProgress, .pendingCustomer, .onHold][random.below(4)], by: staff)
                    case 4, 5:
                        guard ticket.status.isOpen else {
                            status(.inProgress, by: requester)
                            continue
                        }
                        ticket.resolution = [.solved, .confirmedDefectFixed, .knownError][random.below(3)]
                        status(random.below(5) == 0 ? .closed : .resolved, by: staff)
                    case 6:
                        guard let next = Tier.allCases.first(where: { $0 > ticket.tier }) else { continue }
                        var body = "Reason: beyond \(ticket.tier.rawValue)"
                        if random.below(2) == 0 { body += "\n\nReproduction steps: 1. 2.\n\nLog extract: ERROR" }
                        if random.below(2) == 0 { body += "\n\nRoot cause: standard product" }
                        add(
                            .escalated,
                            by: staff,
                            field: "tier",
                            before: ticket.tier.rawValue,
                            after: next.rawValue,
                            body: body
                        )
                        ticket.tier = next
                    case 7:
                        guard let lower = Tier.allCases.last(where: { $0 < ticket.tier }) else { continue }
                        add(.deescalated, by: staff, field: "tier", before: ticket.tier.rawValue, after: lower.rawValue)
                        ticket.tier = lower
                    case 8:
                        let next: Severity = ticket.severity == .sev1 ? .sev2 : .sev1
                        add(
                            .fieldChanged,
                            by: staff,
                            field: "severity",
                            before: ticket.severity.rawValue,
                            after: next.rawValue
                        )
                        ticket.severity = next
                    case 9:
                        add(.dataCorrection, by: random.below(2) == 0 ? lena : omar, field: "stock", body: "Recount")
                        // Now and then a second one at the same instant: the audit list's pages keep both.
                        if random.below(3) == 0 { add(.dataCorrection, by: omar, field: "bin", body: "Moved") }
                    case 10:
                        add(
                            .knownErrorApplied,
                            by: lena,
                            field: "knownErrorId",
                            before: ticket.tier.rawValue,
                            after: "KE-1",
                            body: random.below(2) == 0 ? "Resolved from KEDB at L1" : "Applied"
                        )
                    case 11:
                        add(
                            .slaAlarm,
                            by: staff,
                            field: SLAClockKind.nextUpdate.rawValue,
                            after: SLAAlarm.Level.breach.rawValue
                        )
                    default:
                        add(.internalNote, by: staff, body: "Looked.")
                    }
                }
                ticket.updatedAt = at
                return TicketRepository.History(ticket: ticket, events: events)
            }
    }

    /// Both ways of making the reports agree on every period and filter at `now`; the first way must be the
    /// projection.
    static func expectAgreement(_ desk: ReportDesk, at now: Date, _ note: String) async throws {
        let zone = try await desk.homeTimeZone()
        var periods: [ReportPeriod] = [
            ReportPeriod.containing(now, kind: .month, in: zone),
            ReportPeriod.containing(now, kind: .month, in: zone).previous,
            ReportPeriod.last(30, endingAt: now, in: zone),
            ReportPeriod.last(365, endingAt: now, in: zone),
        ]
        var week = ReportPeriod.containing(now, kind: .week, in: zone)
        var day = ReportPeriod.containing(now, kind: .day, in: zone)
        for _ in 0..<3 {
            periods += [week, day]
            week = week.previous
            day = day.previous.previous.previous
        }
        // Lists are read for a few of them: this month and last month for all tiers, a year for L2.
        let listed: [(ReportPeriod, Tier?)] = [(periods[0], nil), (periods[1], nil), (periods[3], .l2)]
        for period in periods {
            for tier in [nil, Tier.l1, Tier.l2] {
                let filter = ReportFilter(tier: tier)
                let projected = try await desk.compute(period, filter: filter, trend: 12, at: now, detail: .numbers)
                let recomputed = try await desk.compute(period, filter: filter, trend: 12, at: now, detail: .tickets)
                #expect(!projected.operating.listsTickets, "\(note): the projection answered")
                let where_ = "\(note), \(period.label), tier \(tier?.rawValue ?? "all")"
                #expect(
                    projected.operating.checklist(for: period) == recomputed.operating.checklist(for: period),
                    "\(where_)"
                )
                #expect(
                    projected.operating.figures(for: period) == recomputed.operating.figures(for: period),
                    "\(where_)"
                )
                if listed.contains(where: { $0 == (period, tier) }) {
                    try await expectSameLists(desk, projected.now, period, filter, recomputed, where_)
                }
            }
        }
    }

    /// The projection's lists behind every number, read a page at a time, hold the tickets a
    /// recomputation lists, in the same order, and as many as the number says.
    static func expectSameLists(
        _ desk: ReportDesk,
        _ now: Date,
        _ period: ReportPeriod,
        _ filter: ReportFilter,
        _ recomputed: ReportDesk.Report,
        _ where_: String
    ) async throws {
        for slice in ReportSlice.all {
            let expected = recomputed.operating.tickets(slice, in: period).map(\.number)
            var page = ReportDesk.Page(before: nil, limit: 25)
            var listed: [Int] = []
            var total: Int?
            while true {
                let list = try await desk.projectedTickets(
                    slice,
                    in: period,
                    filter: filter,
                    page: page,
                    derivation: try await desk.derivation(at: now)
                )
                listed += list.tickets.map(\.number)
                total = total ?? list.total
                guard let next = list.next, listed.count <= expected.count else { break }
                page.before = next
            }
            #expect(listed == expected, "\(where_), \(slice.name)")
            #expect(total == recomputed.operating.count(slice, in: period), "\(where_), \(slice.name)")
        }
        // The audit list of data corrections, two at a time.
        let expected = recomputed.operating.corrections(in: period)
        var after: CorrectionCursor?
        var listed: [ReportTally.Correction] = []
        while true {
            let page = try await desk.reports.projection.corrections(
                in: period.start..<period.end,
                tier: filter.tier,
                after: after,
                limit: 2
            )
            #expect(page.total == expected.count, "\(where_), corrections")
            listed += page.corrections
            guard let next = page.next, listed.count <= expected.count else { break }
            after = next
        }
        #expect(listed == expected, "\(where_), corrections")
    }

    @Test func theProjectionEqualsARecomputationFromEventsOnRandomHistories() async throws {
        try await ServerFixture.with { f in
            let desk = f.components.reportDesk
            try await f.components.tickets.importHistories(Self.histories(f, count: 240, seed: 42))
            try await Self.expectAgreement(desk, at: ServerFixture.t0, "imported")

            // Changes through the API at the fixture's clock: an escalation, a reply, a resolution.
            let reference = try await f.openTicket(as: "lena", title: "Line 3 stopped")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(reference)/status",
                        as: "lena",
                        json: #"{"version": 1, "status": "resolved", "resolution": "solved", "comment": "Fixed."}"#
                    )
                    .status == .ok
            )
            let open = try await f.openTicket(as: "alice", title: "Scanner dead")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(open)/replies",
                        as: "lena",
                        json: #"{"version": 1, "body": "Looking."}"#
                    )
                    .status == .created
            )
            try await Self.expectAgreement(desk, at: ServerFixture.t0.addingTimeInterval(1), "after API writes")
            // Time alone: running clocks fall due and unanswered Sev1s run late.
            try await Self.expectAgreement(desk, at: ServerFixture.t0.addingTimeInterval(3 * 86_400), "3 days on")

            // New SLA settings re-derive everything.
            _ = try await f.components.slaSettingsDesk.update { configuration in
                var policies = configuration.policies
                policies[0].targets[.p3]?[.resolution]?.minutes = 60
                return try SLAConfiguration(calendars: configuration.calendars, policies: policies)
            }
            // New settings on a desk larger than a report may re-derive itself wait for the background refresh:
            // until then its reports recompute from events. This one is small enough to re-derive at once.
            let changed = ServerFixture.t0.addingTimeInterval(4 * 86_400)
            var renamed = try await desk.derivation(at: changed)
            renamed.fingerprint += "-other"
            let database = f.components.database
            #expect(try await !ReportProjection(database, catchUpLimit: 100).isNearlyCurrent(renamed))
            #expect(try await ReportProjection(database).isNearlyCurrent(renamed))
            try await Self.expectAgreement(desk, at: changed, "new settings")

            // An instant before the projection's latest is recomputed from events: clocks that fell due since
            // must not count.
            let zone = try await desk.homeTimeZone()
            let earlier = ServerFixture.t0.addingTimeInterval(2 * 86_400)
            let report = try await desk.compute(
                ReportPeriod.containing(earlier, kind: .month, in: zone),
                filter: ReportFilter(),
                trend: 12,
                at: earlier,
                detail: .numbers
            )
            #expect(report.operating.listsTickets)
        }
    }
}
