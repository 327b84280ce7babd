import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// Newest full-text matches a staff search ranks (staff see every ticket, so a common word could match a
    /// good part of the table); requesters and vendors rank up to four times as many of theirs.
    static let searchCandidates = 500
    /// Most people and organisations whose tickets a name brings up.
    static let namedMatches = 10

    /// The tickets a search box's text finds among those the query's filters and `visibility` allow, at most
    /// `query.limit`: direct hits first (the reference, the requester with that address, the people and
    /// organisations with that name, newest first), then full-text matches best first. Visibility and
    /// filters are part of every statement, so nothing hidden is read, counted or ranked. A search is one
    /// page: there is no cursor to continue from.
    func search(_ text: String, _ query: TicketQuery, visibility: TicketVisibility) async throws -> [Ticket] {
        let search = TicketSearch(text)
        var found: [Ticket] = []
        var seen: Set<Int> = []
        func add(_ select: SQLSelectBuilder) async throws {
            let remaining = query.limit - found.count
            guard remaining > 0 else { return }
            let rows = try await select.limit(remaining).all(decoding: TicketRow.self, with: Self.decoder)
            for row in rows where seen.insert(row.number).inserted { found.append(row.domain) }
        }
        if let number = search.reference { try await add(filtered(query, visibility).where("number", .equal, number)) }
        let people = try await matchingPeople(search)
        if !people.isEmpty {
            try await add(filtered(query, visibility).where("requester_id", .in, people).orderBy("number", .descending))
        }
        let organisations = try await matchingOrganisations(search)
        if !organisations.isEmpty {
            try await add(
                filtered(query, visibility).where("organisation_id", .in, organisations)
                    .orderBy("number", .descending)
            )
        }
        if !search.terms.isEmpty { try await add(fullText(search.terms, query, visibility)) }
        return found
    }

    /// The people with the searched address, or whose name is the searched name or starts with it as a
    /// word ("anna" finds Anna Kessler).
    private func matchingPeople(_ search: TicketSearch) async throws -> [UUID] {
        let select = database.sql.select().column("id").from("people")
        if let email = search.email {
            select.where("email", .equal, Person.normalisedEmail(email))
        } else if let name = search.name {
            select.where(Self.nameMatches(name))
        } else {
            return []
        }
        return try await select.limit(Self.namedMatches).all(decodingColumn: "id", as: UUID.self)
    }

    /// The organisations whose name is the searched name or starts with it.
    private func matchingOrganisations(_ search: TicketSearch) async throws -> [UUID] {
        guard let name = search.name else { return [] }
        return try await database.sql.select().column("id").from("organisations")
            .where(Self.nameMatches(name, wholeWord: false)).limit(Self.namedMatches)
            .all(decodingColumn: "id", as: UUID.self)
    }

    /// `LOWER(name)` is `name`, or starts with it (followed by a space unless `wholeWord` is false). Compared
    /// by prefix rather than `LIKE`, so the name's own `%` and `_` are plain characters.
    private static func nameMatches(_ name: String, wholeWord: Bool = true) -> SQLQueryString {
        let start = wholeWord ? name + " " : name
        return """
            (LOWER(name) = \(bind: name) OR SUBSTR(LOWER(name), 1, \(literal: start.unicodeScalars.count)) = \(bind: start))
            """
    }

    /// Tickets whose words match every term (each as a whole word or the start of one), ranked: SQLite's BM25
    /// with the subject four times the weight of the rest, PostgreSQL's `ts_rank` with the title as weight A.
    /// Staff match internal notes too and rank the newest ``searchCandidates`` matches, read from the
    /// full-text index in number order; requesters and vendors match only what they can read (subject, body)
    /// among the tickets they may see: on SQLite the full-text query itself holds who may see a ticket
    /// (``M023_CreateTicketSearch/scope``), and the join checks it again with the query's other filters.
    func fullText(_ terms: [String], _ query: TicketQuery, _ visibility: TicketVisibility) -> SQLSelectBuilder {
        let sql = database.sql
        let staff = visibility == .all
        let columns = TicketRow.columns.map { SQLColumn($0, table: "tickets") as any SQLExpression }
        let inner = sql.select().columns(columns)
        let ascending: Bool
        if sql.engine == .postgresql {
            ascending = false
            let vector = staff ? "(ticket_search.public || ticket_search.internal)" : "ticket_search.public"
            let words = terms.map { "\($0):*" }.joined(separator: " & ")
            inner.column(
                SQLQueryString("ts_rank(\(unsafeRaw: vector), to_tsquery('english', \(bind: words)))"),
                as: "search_rank"
            )
            .from(SQLRaw("ticket_search JOIN tickets ON tickets.number = ticket_search.ticket_number"))
            .where(SQLQueryString("\(unsafeRaw: vector) @@ to_tsquery('english', \(bind: words))"))
            if staff {
                inner.orderBy(
                    SQLOrderBy(
                        expression: SQLColumn("ticket_number", table: "ticket_search"),
                        direction: SQLDirection.descending
                    )
                )
            }
        } else {
            ascending = true
            let words = terms.map { "\"\($0)\"*" }.joined(separator: " ")
            let match: String
            switch visibility {
            case .requester(let person, let organisation):
                let scope = [Self.scopeWord("r", person)] + (organisation.map { [Self.scopeWord("o", $0)] } ?? [])
                match = "{scope} : (\(scope.joined(separator: " OR "))) AND {subject body} : (\(words))"
            case .vendor(let vendor):
                match = "{scope} : \(Self.scopeWord("v", vendor)) AND {subject body} : (\(words))"
            case .all, .nothing:
                match = "{subject body notes} : (\(words))"
            }
            inner.column(SQLRaw("bm25(ticket_search, 4.0, 1.0, 1.0, 0.0)"), as: "search_rank")
                .from(SQLRaw("ticket_search CROSS JOIN tickets ON tickets.number = ticket_search.rowid"))
                .where(SQLQueryString("ticket_search MATCH \(bind: match)"))
                .orderBy(
                    SQLOrderBy(
                        expression: SQLColumn("rowid", table: "ticket_search"),
                        direction: SQLDirection.descending
                    )
                )
        }
        Self.narrow(inner, query, visibility).limit(staff ? Self.searchCandidates : 4 * Self.searchCandidates)
        return sql.select().column(SQLLiteral.all)
            .from(SQLAlias(SQLGroupExpression(inner.query), as: SQLIdentifier("c")))
            .orderBy("search_rank", ascending ? .ascending : .descending)
            .orderBy("number", .descending)
    }

    /// A word of the `scope` column in SQLite's full-text index, quoted for a query: `kind` (`r`, `o`, `v`)
    /// and the id's hexadecimal digits, ending in `0`.
    static func scopeWord(_ kind: String, _ id: UUID) -> String {
        "\"" + kind + id.uuidString.replacingOccurrences(of: "-", with: "") + "0\""
    }
}
