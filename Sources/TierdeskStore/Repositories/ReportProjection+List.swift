import Foundation
import SQLKit
import TierdeskCore

extension ReportProjection {
    /// One page of the tickets behind a number, newest first.
    public struct ListedTickets: Sendable, Equatable {
        /// The page's tickets, highest number first.
        public var ids: [UUID]
        /// How many tickets the whole list holds.
        public var total: Int
        /// The number to list on from (tickets below it), when more follow.
        public var next: Int?
    }

    /// The tickets now at `tier` (all when nil) with an entry under one of `keys` in `days`, below number
    /// `before` when given, `limit` at most. A ticket that earned an entry again in a period (a second
    /// escalation) earned the first one there too, or before it: either way it counts once, as listed, so the
    /// list holds as many tickets as the day sums count.
    public func tickets(keys: [String], days: Range<Int>, tier: Tier?, before: Int?, limit: Int) async throws
        -> ListedTickets
    {
        guard !keys.isEmpty else { return ListedTickets(ids: [], total: 0, next: nil) }
        let sums = try await totals(periods: [days], tier: tier)[0]
        let total = keys.reduce(0) { $0 + (sums[$1]?.tickets ?? 0) }
        let keyList = SQLList(keys.map { SQLBind($0) })
        var within: SQLQueryString = """
            slice IN (\(keyList)) AND day >= \(bind: days.lowerBound) AND day < \(bind: days.upperBound)
            """
        if let tier { within = within + " AND tier = \(bind: tier.rawValue)" }
        if let before { within = within + " AND number < \(bind: before)" }
        // Numbers only, newest first: a small sort. A ticket with the key on several days comes up more than
        // once; fetching a few more than needed (more again if that was not enough) leaves `limit + 1` distinct.
        var fetch = limit + 1 + 16
        var numbers: [Int] = []
        while true {
            let rows = try await database.sql
                .raw(
                    "SELECT number FROM report_entries WHERE \(within) ORDER BY number DESC LIMIT \(literal: fetch)"
                )
                .all(decodingColumn: "number", as: Int.self)
            numbers = []
            for number in rows where numbers.last != number { numbers.append(number) }
            if numbers.count > limit || rows.count < fetch { break }
            fetch *= 4
        }
        let page = Array(numbers.prefix(limit))
        return ListedTickets(
            ids: try await ids(ofNumbers: page),
            total: total,
            next: numbers.count > limit ? page.last : nil
        )
    }

    /// The ids of the tickets numbered `numbers`, in that order.
    func ids(ofNumbers numbers: [Int]) async throws -> [UUID] {
        guard !numbers.isEmpty else { return [] }
        var ids: [Int: UUID] = [:]
        for row in try await database.sql.select().columns("id", "number").from("tickets")
            .where("number", .in, numbers).all()
        {
            ids[try row.decode(column: "number", as: Int.self)] = try row.decode(column: "id", as: UUID.self)
        }
        return numbers.compactMap { ids[$0] }
    }

    /// The tickets now at `tier` (all when nil) open at `instant`, at tier `then` when given.
    public func backlogTickets(at instant: Date, then: Tier?, tier: Tier?, before: Int?, limit: Int) async throws
        -> ListedTickets
    {
        var within: SQLQueryString = "1 = 1"
        if let then { within = within + " AND tier_then = \(bind: then.rawValue)" }
        return try await page(
            from: Self.segments(openAt: instant, tier: tier, columns: "ticket_id, number, tier_then"),
            where: within,
            before: before,
            limit: limit
        )
    }

    /// The tickets now at `tier` (all when nil) with a data correction in `window`; with `outside`, only by
    /// someone not in it.
    public func correctedTickets(
        in window: Range<Date>,
        tier: Tier?,
        outside correctors: Set<UUID>?,
        before: Int?,
        limit: Int
    ) async throws -> ListedTickets {
        var within: SQLQueryString =
            "at >= \(bind: Self.micros(window.lowerBound)) AND at < \(bind: Self.micros(window.upperBound))"
        if let tier { within = within + " AND tier = \(bind: tier.rawValue)" }
        if let correctors, !correctors.isEmpty {
            let list = SQLList(correctors.sorted { $0.uuidString < $1.uuidString }.map { SQLBind($0) })
            within = within + " AND (actor_id IS NULL OR actor_id NOT IN (\(list)))"
        }
        return try await page(from: "report_corrections", where: within, before: before, limit: limit)
    }

    /// The rows of `report_segments` (of tickets now at `tier`, all when nil) open at `instant`, as a table
    /// of `columns`: the open stretches and those ended later, each read on the index of its end.
    static func segments(openAt instant: Date, tier: Tier?, columns: String) -> SQLQueryString {
        let at = micros(instant)
        let tierTerm: SQLQueryString = tier.map { " AND tier = \(bind: $0.rawValue)" } ?? ""
        return """
            (SELECT \(unsafeRaw: columns) FROM report_segments WHERE end_at IS NULL AND start_at <= \(bind: at)\(tierTerm)
            UNION ALL SELECT \(unsafeRaw: columns) FROM report_segments
            WHERE end_at > \(bind: at) AND start_at <= \(bind: at)\(tierTerm)) AS open_segments
            """
    }

    /// A page of the distinct tickets of the rows of `source` (a table or subquery) that match, by number,
    /// newest first.
    func page(from source: SQLQueryString, where within: SQLQueryString, before: Int?, limit: Int) async throws
        -> ListedTickets
    {
        let sql = database.sql
        let total =
            try await sql.raw("SELECT COUNT(DISTINCT ticket_id) AS total FROM \(source) WHERE \(within)")
            .first(decodingColumn: "total", as: Int.self) ?? 0
        let below: SQLQueryString = before.map { " AND number < \(bind: $0)" } ?? ""
        let rows =
            try await sql.raw(
                """
                SELECT DISTINCT number, ticket_id FROM \(source) WHERE \(within)\(below)
                ORDER BY number DESC LIMIT \(literal: limit + 1)
                """
            )
            .all()
        let ids = try rows.prefix(limit).map { try $0.decode(column: "ticket_id", as: UUID.self) }
        let next = rows.count > limit ? try rows[limit - 1].decode(column: "number", as: Int.self) : nil
        return ListedTickets(ids: ids, total: total, next: next)
    }
}
