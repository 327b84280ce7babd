import Foundation
import TierdeskCore
import TierdeskStore

extension ReportDesk {
    /// A page of the audit list of data corrections of a period.
    struct CorrectionList: Sendable {
        var period: ReportPeriod
        /// The filter applied, narrowed to an agent's tier where the policy asks for it.
        var filter: ReportFilter
        var page: CorrectionPage
        /// The people who may write data today (``AccessPolicy/mayCorrectData(_:)``).
        var correctors: Set<UUID>
    }

    /// A page of the data corrections made in the period asked for on the tickets its filter matches, as
    /// `actor` may see them: those after `after` (from the start when nil), `limit` at most. Read from the
    /// projection when it serves the period and filter, else recomputed from the facts of every ticket the
    /// period touches.
    func corrections(_ request: Request, after: CorrectionCursor?, limit: Int, for actor: Actor) async throws
        -> CorrectionList
    {
        let (period, filter, now) = try await resolve(request, for: actor)
        let page: CorrectionPage
        if let derivation = try await servingDerivation(period, filter: filter, at: now) {
            _ = try await caughtUp(derivation)
            page = try await projectedCorrections(period, filter: filter, after: after, limit: limit)
        } else {
            let all = try await recomputedCorrections(period, filter: filter, at: now)
            page = CorrectionPage(of: all, after: after, limit: limit)
        }
        return CorrectionList(period: period, filter: filter, page: page, correctors: try await correctors())
    }

    /// Every data correction of the period asked for (an export): read from the projection a page at a
    /// time, brought up to date once, or recomputed once.
    func allCorrections(_ request: Request, for actor: Actor) async throws -> CorrectionList {
        let (period, filter, now) = try await resolve(request, for: actor)
        var page: CorrectionPage
        if let derivation = try await servingDerivation(period, filter: filter, at: now) {
            _ = try await caughtUp(derivation)
            page = try await projectedCorrections(period, filter: filter, after: nil, limit: Page.maxLimit)
            while let next = page.next {
                let more = try await projectedCorrections(period, filter: filter, after: next, limit: Page.maxLimit)
                page.corrections += more.corrections
                page.next = more.next
            }
        } else {
            let all = try await recomputedCorrections(period, filter: filter, at: now)
            page = CorrectionPage(corrections: all, total: all.count, next: nil)
        }
        return CorrectionList(period: period, filter: filter, page: page, correctors: try await correctors())
    }

    /// A page of the period's data corrections read from the projection (brought up to date by the caller).
    private func projectedCorrections(
        _ period: ReportPeriod,
        filter: ReportFilter,
        after: CorrectionCursor?,
        limit: Int
    ) async throws -> CorrectionPage {
        try await reports.projection.corrections(
            in: period.start..<period.end,
            tier: filter.tier,
            after: after,
            limit: limit
        )
    }

    /// Every data correction of the period, recomputed from the facts of every ticket it touches.
    private func recomputedCorrections(_ period: ReportPeriod, filter: ReportFilter, at now: Date) async throws
        -> [ReportTally.Correction]
    {
        try await compute(period, filter: filter, trend: 1, at: now, detail: .tickets).operating.corrections(in: period)
    }
}
