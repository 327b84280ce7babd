import Foundation
import TierdeskCore
import TierdeskStore

extension ReportDesk {
    /// Which page of a list of tickets to show: those numbered below `before` (from the start when nil),
    /// `limit` at most.
    struct Page: Sendable {
        var before: Int?
        var limit = Self.defaultLimit

        static let defaultLimit = 100
        static let maxLimit = 1_000
    }

    /// A page of the tickets behind a number of a report, newest first.
    struct TicketList: Sendable {
        var period: ReportPeriod
        /// The filter applied, narrowed to an agent's tier where the policy asks for it.
        var filter: ReportFilter
        var slice: ReportSlice
        /// How many tickets the whole list holds: the number the report shows.
        var total: Int
        var tickets: [TicketFacts]
        /// The `before` of the next page, when more follow.
        var next: Int?
    }

    /// A page of the tickets behind `slice` in the period and filter asked for, as `actor` may see them: read
    /// from the projection when it keeps the list (home time zone, filtered by tier at most, or by priority
    /// for an SLA clock's slice), else recomputed from the facts of every ticket the period touches.
    func tickets(_ request: Request, slice: ReportSlice, page: Page, for actor: Actor) async throws -> TicketList {
        let (period, filter, now) = try await resolve(request, for: actor)
        if let derivation = try await listDerivation(slice, period, filter: filter, at: now) {
            return try await projectedTickets(slice, in: period, filter: filter, page: page, derivation: derivation)
        }
        let all = try await recomputedTickets(slice, period, filter: filter, at: now)
        let from = page.before.map { before in all.firstIndex { $0.number < before } ?? all.count } ?? 0
        let shown = Array(all[from...].prefix(page.limit))
        return TicketList(
            period: period,
            filter: filter,
            slice: slice,
            total: all.count,
            tickets: shown,
            next: from + shown.count < all.count ? shown.last?.number : nil
        )
    }

    /// The derivation to read the list behind `slice` from the projection with, when the projection keeps it
    /// for `filter` (a tier at most, or a priority for an SLA clock's slice) and serves the period; nil when
    /// the list is recomputed.
    private func listDerivation(_ slice: ReportSlice, _ period: ReportPeriod, filter: ReportFilter, at now: Date)
        async throws -> ReportProjection.Derivation?
    {
        var kept = ReportFilter(tier: filter.tier)
        if case .clock = slice { kept.priority = filter.priority }
        guard kept == filter else { return nil }
        return try await servingDerivation(period, filter: ReportFilter(tier: filter.tier), at: now)
    }

    /// Every ticket behind `slice`, recomputed from the facts of every ticket the period touches.
    private func recomputedTickets(_ slice: ReportSlice, _ period: ReportPeriod, filter: ReportFilter, at now: Date)
        async throws -> [TicketFacts]
    {
        try await compute(period, filter: filter, trend: 1, at: now, detail: .tickets).operating
            .tickets(slice, in: period)
    }

    /// A page of the tickets behind `slice` read from the projection, brought up to date with `derivation`
    /// first; `filter` holds a tier at most, and a priority only for an SLA clock's slice.
    func projectedTickets(
        _ slice: ReportSlice,
        in period: ReportPeriod,
        filter: ReportFilter,
        page: Page,
        derivation: ReportProjection.Derivation
    ) async throws -> TicketList {
        let at = try await caughtUp(derivation)
        let projection = reports.projection
        let listed: ReportProjection.ListedTickets
        switch slice {
        case .corrected, .correctedWithoutPrivilege:
            listed = try await projection.correctedTickets(
                in: period.start..<period.end,
                tier: filter.tier,
                outside: slice == .correctedWithoutPrivilege ? try await correctors() : nil,
                before: page.before,
                limit: page.limit
            )
        case .backlog, .backlogAt:
            var then: Tier?
            if case .backlogAt(let tier) = slice { then = tier }
            listed = try await projection.backlogTickets(
                at: min(period.end, at),
                then: then,
                tier: filter.tier,
                before: page.before,
                limit: page.limit
            )
        default:
            listed = try await projection.tickets(
                keys: OperatingReport.keys(of: slice, priority: filter.priority),
                days: period.days,
                tier: filter.tier,
                before: page.before,
                limit: page.limit
            )
        }
        let configuration = sla.current
        return TicketList(
            period: period,
            filter: filter,
            slice: slice,
            total: listed.total,
            tickets: try await reports.histories(of: listed.ids)
                .map {
                    TicketFacts.derive(
                        ticket: $0.ticket,
                        events: $0.events,
                        policy: configuration.policy(for: $0.ticket),
                        now: at
                    )
                },
            next: listed.next
        )
    }

    /// Every ticket behind `slice` (an export): read from the projection a page at a time with one
    /// derivation, or recomputed once.
    func allTickets(_ request: Request, slice: ReportSlice, for actor: Actor) async throws -> TicketList {
        let (period, filter, now) = try await resolve(request, for: actor)
        guard let derivation = try await listDerivation(slice, period, filter: filter, at: now) else {
            let all = try await recomputedTickets(slice, period, filter: filter, at: now)
            return TicketList(period: period, filter: filter, slice: slice, total: all.count, tickets: all, next: nil)
        }
        var page = Page(before: nil, limit: Page.maxLimit)
        var list = try await projectedTickets(slice, in: period, filter: filter, page: page, derivation: derivation)
        while let next = list.next {
            page.before = next
            let more = try await projectedTickets(slice, in: period, filter: filter, page: page, derivation: derivation)
            list.tickets += more.tickets
            list.next = more.next
        }
        return list
    }
}
