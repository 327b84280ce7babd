import Foundation
import SQLKit
import TierdeskCore

extension ReportProjection {
    /// The sums of each entry key over the local `days`, of the tickets now at `tier` (all when nil): the
    /// day sums plus the repeated entries whose previous one falls before the first day.
    public func totals(days: Range<Int>, tier: Tier?) async throws -> [String: ReportTotals] {
        let sql = database.sql
        let tierTerm: SQLQueryString = tier.map { " AND tier = \(bind: $0.rawValue)" } ?? ""
        var totals: [String: ReportTotals] = [:]
        for row
            in try await sql.raw(
                """
                SELECT slice, CAST(SUM(tickets) AS BIGINT) AS tickets, CAST(SUM(value) AS BIGINT) AS value,
                CAST(SUM(business) AS BIGINT) AS business, CAST(SUM(business_tickets) AS BIGINT) AS business_tickets
                FROM report_counts WHERE day >= \(bind: days.lowerBound) AND day < \(bind: days.upperBound)\(tierTerm)
                GROUP BY slice
                """
            )
            .all()
        {
            totals[try row.decode(column: "slice", as: String.self)] = ReportTotals(
                tickets: try row.decode(column: "tickets", as: Int.self),
                value: try row.decode(column: "value", as: Int64.self),
                business: try row.decode(column: "business", as: Int64.self),
                businessTickets: try row.decode(column: "business_tickets", as: Int.self)
            )
        }
        for row
            in try await sql.raw(
                """
                SELECT slice, COUNT(*) AS tickets FROM report_repeats
                WHERE day >= \(bind: days.lowerBound) AND day < \(bind: days.upperBound)
                AND previous_day < \(bind: days.lowerBound)\(tierTerm)
                GROUP BY slice
                """
            )
            .all()
        {
            totals[try row.decode(column: "slice", as: String.self), default: ReportTotals()].tickets += try row.decode(
                column: "tickets",
                as: Int.self
            )
        }
        return totals
    }

    /// The data corrections made in `window` on tickets now at `tier` (all when nil).
    public func corrections(in window: Range<Date>, tier: Tier?) async throws -> [ReportTally.Correction] {
        let select = database.sql.select().columns("ticket_id", "number", "at", "actor_id", "reason")
            .from("report_corrections")
            .where("at", .greaterThanOrEqual, SQLBind(Self.micros(window.lowerBound)))
            .where("at", .lessThan, SQLBind(Self.micros(window.upperBound)))
        if let tier { select.where("tier", .equal, SQLBind(tier.rawValue)) }
        return try await select.all()
            .map {
                ReportTally.Correction(
                    ticketID: try $0.decode(column: "ticket_id", as: UUID.self),
                    ticketNumber: try $0.decode(column: "number", as: Int.self),
                    at: Self.instant(try $0.decode(column: "at", as: Int64.self)),
                    actorID: try $0.decode(column: "actor_id", as: UUID?.self),
                    reason: try $0.decode(column: "reason", as: String.self)
                )
            }
    }

    /// The tickets open at `instant` (of those now at `tier`, all when nil), by the tier that held each then,
    /// with when each was created.
    public func backlog(at instant: Date, tier: Tier?) async throws -> [Tier: [Date]] {
        let at = Self.micros(instant)
        var open: [Tier: [Date]] = [:]
        for ended in [false, true] {
            let select = database.sql.select().columns("tier_then", "created_at").from("report_segments")
                .where("start_at", .lessThanOrEqual, SQLBind(at))
            if ended {
                select.where("end_at", .greaterThan, SQLBind(at))
            } else {
                select.where("end_at", .is, SQLLiteral.null)
            }
            if let tier { select.where("tier", .equal, SQLBind(tier.rawValue)) }
            for row in try await select.all() {
                guard let then = Tier(rawValue: try row.decode(column: "tier_then", as: String.self)) else { continue }
                open[then, default: []].append(Self.instant(try row.decode(column: "created_at", as: Int64.self)))
            }
        }
        return open
    }
}
