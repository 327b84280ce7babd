import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// On PostgreSQL, the tickets the query and visibility allow whose words hold every term — the last, when it
    /// has three to six letters, also as the start of a word — `limit` at most: those whose title holds them
    /// all first, then the rest, newest first within each. Staff match internal notes too; requesters and
    /// vendors only the public text of the tickets they may see.
    ///
    /// PostgreSQL's planner either walks the tickets backwards checking each one (fast when the words are
    /// common, a full scan when they match few tickets) or reads every match from a GIN index and sorts them
    /// (the other way round), and its guess of how many match is often far off (a word start it has no
    /// statistics for counts as half a percent of the tickets). So the choice is not left to it:
    /// 1. The newest ``PostgresTicketSearch/Windows/recent`` tickets are read one by one, checking the whole
    ///    text and the title (weight A of the public text): a bounded cost that finds a page when the words
    ///    are common.
    /// 2. Older title matches come from the GIN index on the title's own words (``M028_IndexTicketTitles``;
    ///    weight A cannot be read from an index), newest first.
    /// 3. If the page still has room, older matches anywhere: read one by one when the first window showed
    ///    them to be frequent enough (``PostgresTicketSearch/Windows/walkingShare``; at most
    ///    ``PostgresTicketSearch/Windows/further`` tickets), then from
    ///    the GIN index of the whole text and a sort, which then reads few matches.
    func newestMatches(
        _ terms: [String],
        _ query: TicketQuery,
        _ visibility: TicketVisibility,
        limit: Int,
        windows: PostgresTicketSearch.Windows = PostgresTicketSearch.Windows()
    ) async throws -> [TicketRow] {
        let search = PostgresTicketSearch(terms: terms, staff: visibility == .all)
        let window = windows.recent
        let recent = try await walk(search, below: nil, tickets: window, limit: limit, query, visibility)
        let titled = recent.filter(\.titleHit).map(\.row)
        var others = recent.filter { !$0.titleHit }.map(\.row)
        guard titled.count < limit, var floor = try await boundary(below: nil, after: window) else {
            return Array((titled + others).prefix(limit))
        }
        let olderTitled = try await rows(
            olderTitleStatement(search, upTo: floor, query, visibility),
            limit - titled.count
        )
        let page = titled + olderTitled
        guard page.count + others.count < limit else { return Array((page + others).prefix(limit)) }
        // Older matches anywhere hold the older title matches again.
        var wanted = limit - page.count - others.count + olderTitled.count
        let share = Double(recent.count) / Double(window)
        if share >= windows.walkingShare {
            let tickets = min(windows.further, max(1, Int(Double(2 * wanted) / max(share, 1e-9))))
            let further = try await walk(search, below: floor, tickets: tickets, limit: wanted, query, visibility)
            others += further.map(\.row)
            wanted -= further.count
            guard wanted > 0, let next = try await boundary(below: floor, after: tickets) else {
                return Self.page(page, others, limit)
            }
            floor = next
        }
        others += try await rows(olderStatement(search, upTo: floor, query, visibility), wanted)
        return Self.page(page, others, limit)
    }

    /// The title matches, then the other matches without those, `limit` at most.
    private static func page(_ titled: [TicketRow], _ others: [TicketRow], _ limit: Int) -> [TicketRow] {
        let numbers = Set(titled.map(\.number))
        return Array((titled + others.filter { !numbers.contains($0.number) }).prefix(limit))
    }

    private static var ticketColumns: [any SQLExpression] {
        TicketRow.columns.map { SQLColumn($0, table: "tickets") as any SQLExpression }
    }

    /// Reads the newest `tickets` index rows one by one (numbered `below` or lower when given), and returns the
    /// matches among them that the query and visibility allow, title matches first, `limit` at most.
    private func walk(
        _ search: PostgresTicketSearch,
        below: Int?,
        tickets: Int,
        limit: Int,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) async throws -> [(row: TicketRow, titleHit: Bool)] {
        try await walkStatement(search, below: below, tickets: tickets, query, visibility).limit(limit).all()
            .map {
                (
                    try $0.decode(model: TicketRow.self, with: Self.decoder),
                    try $0.decode(column: "title_hit", as: Bool.self)
                )
            }
    }

    /// The matches among the newest `tickets` index rows, read one by one (numbered `below` or lower when
    /// given), that the query and visibility allow, title matches first, with a `title_hit` column.
    func walkStatement(
        _ search: PostgresTicketSearch,
        below: Int?,
        tickets: Int,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) -> SQLSelectBuilder {
        // The subquery's LIMIT keeps the planner from reading the range through the GIN index instead.
        let newest = newestIndexRows(below: below).limit(tickets)
        let select = database.sql.select().columns(Self.ticketColumns).column(search.titleHit, as: "title_hit")
            .from(
                SQLQueryString(
                    "(\(newest.query)) AS ticket_search JOIN tickets ON tickets.number = ticket_search.ticket_number"
                )
            )
            .where(search.anywhereWalked)
            .orderBy("title_hit", .descending)
            .orderBy(
                SQLOrderBy(
                    expression: SQLColumn("ticket_number", table: "ticket_search"),
                    direction: SQLDirection.descending
                )
            )
        return Self.narrow(select, query, visibility)
    }

    /// The title matches numbered `upTo` or lower, newest first, from the index on the titles' words.
    func olderTitleStatement(
        _ search: PostgresTicketSearch,
        upTo floor: Int,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) -> SQLSelectBuilder {
        Self.narrow(
            database.sql.select().columns(Self.ticketColumns).from("tickets")
                .where(search.title)
                .where(SQLColumn("number", table: "tickets"), .lessThanOrEqual, SQLBind(floor))
                // `+ 0` keeps the planner from walking the older tickets in number order.
                .orderBy(SQLRaw("tickets.number + 0 DESC")),
            query,
            visibility
        )
    }

    /// The matches anywhere numbered `upTo` or lower, newest first, from the GIN index of the whole text.
    func olderStatement(
        _ search: PostgresTicketSearch,
        upTo floor: Int,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) -> SQLSelectBuilder {
        Self.narrow(
            database.sql.select().columns(Self.ticketColumns)
                .from(SQLRaw("ticket_search JOIN tickets ON tickets.number = ticket_search.ticket_number"))
                .where(search.anywhere)
                .where(SQLColumn("ticket_number", table: "ticket_search"), .lessThanOrEqual, SQLBind(floor))
                .orderBy(SQLRaw("ticket_search.ticket_number + 0 DESC")),
            query,
            visibility
        )
    }

    /// The index rows (numbered `below` or lower when given), newest first, read in the order of the index's
    /// key. A requester's or vendor's own tickets are not read this way: fetching their rows one by one costs
    /// more (scattered over the table) than reading the older matches from the GIN index.
    private func newestIndexRows(below: Int?) -> SQLSelectBuilder {
        let select = database.sql.select().columns("ticket_number", "public", "internal").from("ticket_search")
        if let below { select.where("ticket_number", .lessThanOrEqual, below) }
        return select.orderBy("ticket_number", .descending)
    }

    /// The number of the newest index row past the `after` newest (numbered `below` or lower when given):
    /// where the older tickets start; nil when there are no more.
    private func boundary(below: Int?, after: Int) async throws -> Int? {
        try await newestIndexRows(below: below).offset(after).limit(1)
            .first(decodingColumn: "ticket_number", as: Int.self)
    }

    private func rows(_ select: SQLSelectBuilder, _ limit: Int) async throws -> [TicketRow] {
        guard limit > 0 else { return [] }
        return try await select.limit(limit).all(decoding: TicketRow.self, with: Self.decoder)
    }
}

/// The conditions of a PostgreSQL ticket search.
struct PostgresTicketSearch {
    /// How many tickets a search reads one by one before it turns to the GIN indexes.
    struct Windows: Sendable {
        /// The newest tickets read first.
        var recent = 5_000
        /// The most tickets read after those, when the words matched often enough among them to find the
        /// rest of the page that way.
        var further = 40_000
        /// The share of the first tickets the words must match for reading further one by one to cost less
        /// than reading every older match from the GIN index and sorting them: about a microsecond per ticket
        /// read against a few per match.
        var walkingShare = 0.0015
    }

    /// The whole text matches: staff's with the internal notes (`public || internal`), others' the public
    /// text; in the words of the GIN indexes.
    let anywhere: SQLQueryString
    /// The same, for reading tickets one by one: the internal notes are added only where there are some.
    let anywhereWalked: SQLQueryString
    /// The title matches, through the index on the title's own words.
    let title: SQLQueryString
    /// The title matches, as weight A of an index row's public text.
    let titleHit: SQLQueryString

    init(terms: [String], staff: Bool) {
        func words(weight: String) -> String {
            terms.enumerated()
                .map { index, term in
                    let label =
                        (index == terms.count - 1 && TicketRepository.isPrefix(term) ? "*" : "") + weight
                    return label.isEmpty ? term : term + ":" + label
                }
                .joined(separator: " & ")
        }
        let all = words(weight: "")
        // The GIN indexes' own expressions, so the planner can read them.
        let vector = staff ? "(ticket_search.public || ticket_search.internal)" : "ticket_search.public"
        anywhere = "\(unsafeRaw: vector) @@ to_tsquery('english', \(bind: all))"
        // Read one by one, most tickets have no internal notes to add.
        let walked =
            staff
            ? """
            (CASE WHEN length(ticket_search.internal) = 0 THEN ticket_search.public \
            ELSE ticket_search.public || ticket_search.internal END)
            """
            : "ticket_search.public"
        anywhereWalked = "\(unsafeRaw: walked) @@ to_tsquery('english', \(bind: all))"
        title = "to_tsvector('english', tickets.title) @@ to_tsquery('english', \(bind: words(weight: "")))"
        titleHit = "ticket_search.public @@ to_tsquery('english', \(bind: words(weight: "A")))"
    }
}
