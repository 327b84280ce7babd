import Foundation
import SQLKit
import TierdeskCore

extension ReportProjection {
    /// The sums of each entry key over each of `periods` (contiguous runs of local days, oldest first, all
    /// of one kind), of the tickets now at `tier` (all when nil): whole months and the days at their ends
    /// (``pieces(of:)``), plus the repeated entries whose previous one falls before the period's first day.
    /// Two passes (months, days), however many periods.
    public func totals(periods: [Range<Int>], tier: Tier?) async throws -> [[String: ReportTotals]] {
        var totals = Array(repeating: [String: ReportTotals](), count: periods.count)
        guard let first = periods.first, let last = periods.last else { return totals }
        precondition(zip(periods, periods.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        let plans = periods.map(Self.pieces(of:))
        let tierName = tier?.rawValue ?? Self.allTiers
        for months in [true, false] {
            let pieces = Array(Set(plans.flatMap { $0.map(\.0) }.filter { $0.months == months }))
            guard !pieces.isEmpty else { continue }
            let sums = try await sums(of: pieces, tier: tierName)
            for (index, plan) in plans.enumerated() {
                for (piece, sign) in plan where piece.months == months {
                    for (slice, piece) in sums[piece] ?? [:] {
                        totals[index][slice, default: ReportTotals()].add(piece, sign: sign)
                    }
                }
            }
        }
        try await addRepeats(to: &totals, periods: periods, first: first, last: last, tier: tier)
        return totals
    }

    /// The sums of each of `pieces` (all days, or all months; each pair identical or disjoint) by key.
    func sums(of pieces: [Piece], tier: String) async throws -> [Piece: [String: ReportTotals]] {
        var cases: [SQLQueryString] = ["CASE"]
        var within: [SQLQueryString] = []
        for (index, piece) in pieces.enumerated() {
            let term: SQLQueryString =
                "(period >= \(literal: piece.range.lowerBound) AND period < \(literal: piece.range.upperBound))"
            cases.append(" WHEN \(term) THEN \(literal: index)")
            within.append(term)
        }
        cases.append(" END")
        var sums: [Piece: [String: ReportTotals]] = [:]
        for row in try await database.sql
            .raw(
                """
                SELECT \(cases.joined()) AS piece, slice, CAST(SUM(tickets) AS BIGINT) AS tickets,
                CAST(SUM(value) AS BIGINT) AS value, CAST(SUM(business) AS BIGINT) AS business,
                CAST(SUM(business_tickets) AS BIGINT) AS business_tickets
                FROM report_counts WHERE span = \(bind: pieces[0].months ? "month" : "day") AND tier = \(bind: tier)
                AND (\(within.joined(separator: " OR ")))
                GROUP BY 1, slice
                """
            )
            .all()
        {
            sums[pieces[try row.decode(column: "piece", as: Int.self)], default: [:]][
                try row.decode(column: "slice", as: String.self)
            ] = ReportTotals(
                tickets: try row.decode(column: "tickets", as: Int.self),
                value: try row.decode(column: "value", as: Int64.self),
                business: try row.decode(column: "business", as: Int64.self),
                businessTickets: try row.decode(column: "business_tickets", as: Int.self)
            )
        }
        return sums
    }

    /// Adds the repeated entries of each period whose previous one falls before it.
    func addRepeats(
        to totals: inout [[String: ReportTotals]],
        periods: [Range<Int>],
        first: Range<Int>,
        last: Range<Int>,
        tier: Tier?
    ) async throws {
        let buckets = Self.choice(
            periods.enumerated().dropLast().map { "WHEN day < \(literal: $1.upperBound) THEN \(literal: $0)" },
            otherwise: "\(literal: periods.count - 1)"
        )
        let starts = Self.choice(
            periods.dropLast().map { "WHEN day < \(literal: $0.upperBound) THEN \(literal: $0.lowerBound)" },
            otherwise: "\(literal: last.lowerBound)"
        )
        let tierTerm: SQLQueryString = tier.map { " AND tier = \(bind: $0.rawValue)" } ?? ""
        for row in try await database.sql
            .raw(
                """
                SELECT \(buckets) AS bucket, slice, COUNT(*) AS tickets FROM report_repeats
                WHERE day >= \(literal: first.lowerBound) AND day < \(literal: last.upperBound)
                AND previous_day < \(starts)\(tierTerm)
                GROUP BY 1, slice
                """
            )
            .all()
        {
            totals[try row.decode(column: "bucket", as: Int.self)][
                try row.decode(column: "slice", as: String.self),
                default: ReportTotals()
            ]
            .tickets += try row.decode(column: "tickets", as: Int.self)
        }
    }

    /// A page of the data corrections made in `window` on tickets now at `tier` (all when nil), in the audit
    /// list's order: those after `after` (from the start when nil), `limit` at most.
    public func corrections(in window: Range<Date>, tier: Tier?, after: CorrectionCursor?, limit: Int) async throws
        -> CorrectionPage
    {
        var within: SQLQueryString =
            "at >= \(bind: Self.micros(window.lowerBound)) AND at < \(bind: Self.micros(window.upperBound))"
        if let tier { within = within + " AND tier = \(bind: tier.rawValue)" }
        let sql = database.sql
        let total =
            try await sql.raw("SELECT COUNT(*) AS total FROM report_corrections WHERE \(within)")
            .first(decodingColumn: "total", as: Int.self) ?? 0
        if let after {
            within =
                within + """
                     AND at >= \(bind: after.micros)
                     AND (at, number, ordinal) > (\(bind: after.micros), \(bind: after.ticketNumber), \(bind: after.ordinal))
                    """
        }
        let rows =
            try await sql.raw(
                """
                SELECT ticket_id, number, ordinal, at, actor_id, reason FROM report_corrections WHERE \(within)
                ORDER BY at, number, ordinal LIMIT \(literal: limit + 1)
                """
            )
            .all()
        let corrections = try rows.prefix(limit)
            .map {
                ReportTally.Correction(
                    ticketID: try $0.decode(column: "ticket_id", as: UUID.self),
                    ticketNumber: try $0.decode(column: "number", as: Int.self),
                    ordinal: try $0.decode(column: "ordinal", as: Int.self),
                    at: Self.instant(try $0.decode(column: "at", as: Int64.self)),
                    actorID: try $0.decode(column: "actor_id", as: UUID?.self),
                    reason: try $0.decode(column: "reason", as: String.self)
                )
            }
        return CorrectionPage(
            corrections: corrections,
            total: total,
            next: rows.count > limit ? corrections.last?.cursor : nil
        )
    }

    /// For each of `periods` (contiguous, oldest first), the tickets now at `tier` (all when nil) with a data
    /// correction in it and those with one by someone outside `correctors`; for the last, the corrections
    /// per person. A ticket's first correction in a period is the one whose previous lies before it.
    public func correctionCounts(periods: [Range<Date>], tier: Tier?, correctors: Set<UUID>) async throws
        -> [ReportTally.CorrectionCounts]
    {
        var counts = Array(repeating: ReportTally.CorrectionCounts(), count: periods.count)
        guard let first = periods.first, let last = periods.last else { return counts }
        let buckets = Self.choice(
            periods.enumerated().dropLast()
                .map {
                    "WHEN at < \(literal: Self.micros($1.upperBound)) THEN \(literal: $0)"
                },
            otherwise: "\(literal: periods.count - 1)"
        )
        let starts = Self.choice(
            periods.dropLast()
                .map {
                    "WHEN at < \(literal: Self.micros($0.upperBound)) THEN \(literal: Self.micros($0.lowerBound))"
                },
            otherwise: "\(literal: Self.micros(last.lowerBound))"
        )
        let tierTerm: SQLQueryString = tier.map { " AND tier = \(bind: $0.rawValue)" } ?? ""
        let within: SQLQueryString = """
            at >= \(bind: Self.micros(first.lowerBound)) AND at < \(bind: Self.micros(last.upperBound))\(tierTerm)
            """
        let sql = database.sql
        for row
            in try await sql.raw(
                """
                SELECT \(buckets) AS bucket, COUNT(*) AS tickets FROM report_corrections
                WHERE \(within) AND (previous_at IS NULL OR previous_at < \(starts)) GROUP BY 1
                """
            )
            .all()
        {
            let bucket = try row.decode(column: "bucket", as: Int.self)
            counts[bucket].tickets = try row.decode(column: "tickets", as: Int.self)
            if correctors.isEmpty { counts[bucket].unprivilegedTickets = counts[bucket].tickets }
        }
        if !correctors.isEmpty {
            // Corrections by people who may not write data are few: counting them apart costs little.
            let list = SQLList(correctors.sorted { $0.uuidString < $1.uuidString }.map { SQLBind($0) })
            for row
                in try await sql.raw(
                    """
                    SELECT \(buckets) AS bucket, COUNT(DISTINCT ticket_id) AS tickets FROM report_corrections
                    WHERE \(within) AND (actor_id IS NULL OR actor_id NOT IN (\(list))) GROUP BY 1
                    """
                )
                .all()
            {
                counts[try row.decode(column: "bucket", as: Int.self)].unprivilegedTickets = try row.decode(
                    column: "tickets",
                    as: Int.self
                )
            }
        }
        for row
            in try await sql.raw(
                """
                SELECT actor_id, COUNT(*) AS corrections FROM report_corrections
                WHERE at >= \(bind: Self.micros(last.lowerBound)) AND at < \(bind: Self.micros(last.upperBound))\(tierTerm)
                GROUP BY 1
                """
            )
            .all()
        {
            counts[periods.count - 1].byPerson[try row.decode(column: "actor_id", as: UUID?.self)] = try row.decode(
                column: "corrections",
                as: Int.self
            )
        }
        return counts
    }

    /// The tickets open at `instant` (of those now at `tier`, all when nil), by the tier that held each then:
    /// how many per age bucket (``ReportFigures/ageLimits``).
    public func backlog(at instant: Date, tier: Tier?) async throws -> [Tier: [Int]] {
        let at = Self.micros(instant)
        let bucket = Self.choice(
            ReportFigures.ageLimits.enumerated().dropLast()
                .map {
                    "WHEN created_at > \(literal: at - Self.micros(Date(timeIntervalSince1970: $1))) THEN \(literal: $0)"
                },
            otherwise: "\(literal: ReportFigures.ageLimits.count - 1)"
        )
        var open: [Tier: [Int]] = [:]
        for row in try await database.sql
            .raw(
                """
                SELECT tier_then, \(bucket) AS bucket, COUNT(*) AS tickets
                FROM \(Self.segments(openAt: instant, tier: tier, columns: "tier_then, created_at")) GROUP BY 1, 2
                """
            )
            .all()
        {
            guard let then = Tier(rawValue: try row.decode(column: "tier_then", as: String.self)) else { continue }
            open[then, default: Array(repeating: 0, count: ReportFigures.ageLimits.count)][
                try row.decode(column: "bucket", as: Int.self)
            ] += try row.decode(column: "tickets", as: Int.self)
        }
        return open
    }

    /// `CASE <whens> ELSE <otherwise> END`, or `otherwise` alone when there is nothing to choose from.
    static func choice(_ whens: [SQLQueryString], otherwise: SQLQueryString) -> SQLQueryString {
        guard !whens.isEmpty else { return otherwise }
        return "CASE \(whens.joined(separator: " ")) ELSE \(otherwise) END"
    }
}
