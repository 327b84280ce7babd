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
            page = try await reports.projection.corrections(
                in: period.start..<period.end,
                tier: filter.tier,
                after: after,
                limit: limit
            )
        } else {
            let report = try await compute(period, filter: filter, trend: 1, at: now, detail: .tickets)
            page = CorrectionPage(of: report.operating.corrections(in: period), after: after, limit: limit)
        }
        return CorrectionList(period: period, filter: filter, page: page, correctors: try await correctors())
    }

    /// Every data correction of the period asked for, page by page (an export).
    func allCorrections(_ request: Request, for actor: Actor) async throws -> CorrectionList {
        var list = try await corrections(request, after: nil, limit: Page.maxLimit, for: actor)
        while let next = list.page.next {
            let more = try await corrections(request, after: next, limit: Page.maxLimit, for: actor)
            list.page.corrections += more.page.corrections
            list.page.next = more.page.next
        }
        return list
    }
}
