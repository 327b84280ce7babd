import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
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
        func add(_ rows: [TicketRow]) {
            for row in rows where found.count < query.limit && seen.insert(row.number).inserted {
                found.append(row.domain)
            }
        }
        func add(_ select: SQLSelectBuilder, twice: Bool = false) async throws {
            let remaining = query.limit - found.count
            guard remaining > 0 else { return }
            add(
                try await select.limit(twice ? 2 * remaining : remaining)
                    .all(decoding: TicketRow.self, with: Self.decoder)
            )
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
        let remaining = query.limit - found.count
        guard !search.terms.isEmpty, remaining > 0 else { return found }
        if database.sql.engine == .postgresql {
            add(try await newestMatches(search.terms, query, visibility, limit: remaining))
        } else {
            // A ticket can come twice from the full-text search (its title and its whole text both match).
            try await add(fullText(search.terms, query, visibility, limit: remaining), twice: true)
        }
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

    /// On SQLite, the tickets whose words hold every term — the last, when it has three to six letters, also as
    /// the start of a word, for text still being typed — ranked: tickets whose title holds them all first,
    /// then the rest, newest first within each. Both parts read the newest matches from the full-text index in
    /// number order, which FTS5 answers without reading every match (engine ranks such as BM25 would: they
    /// count each word's matches over the whole table), so a search costs about the same at any table size.
    /// Staff match internal notes too; requesters and vendors match only what they can read among the tickets
    /// they may see: the full-text query itself holds who may see a ticket
    /// (``M023_CreateTicketSearch/scope``), and the join checks it again with the query's other filters. A
    /// ticket in both parts comes twice (title first), so the title part reads the newest `limit` title
    /// matches and the other part twice as many matches: the first `limit` distinct tickets are then the
    /// page, however common the words.
    func fullText(
        _ terms: [String],
        _ query: TicketQuery,
        _ visibility: TicketVisibility,
        limit: Int
    ) -> SQLSelectBuilder {
        let inTitle = matches(terms, inTitle: true, query, visibility).limit(limit)
        let anywhere = matches(terms, inTitle: false, query, visibility).limit(2 * limit)
        return database.sql.select().column(SQLLiteral.all)
            .from(
                SQLAlias(
                    SQLGroupExpression(
                        SQLQueryString(
                            "SELECT * FROM (\(inTitle.query)) AS a UNION ALL SELECT * FROM (\(anywhere.query)) AS b"
                        )
                    ),
                    as: SQLIdentifier("c")
                )
            )
            .orderBy("title_hit", .descending)
            .orderBy("number", .descending)
    }

    /// On SQLite, the tickets the query and visibility allow whose title (or whole text) matches, newest
    /// first, with a `title_hit` column saying which.
    private func matches(
        _ terms: [String],
        inTitle: Bool,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) -> SQLSelectBuilder {
        let staff = visibility == .all
        let columns = TicketRow.columns.map { SQLColumn($0, table: "tickets") as any SQLExpression }
        let select = database.sql.select().columns(columns)
            .column(SQLLiteral.numeric(inTitle ? "1" : "0"), as: "title_hit")
        let words = terms.enumerated()
            .map { index, term in index == terms.count - 1 ? Self.prefix(term) : "\"\(term)\"" }
            .joined(separator: " AND ")
        let searched = inTitle ? "{subject}" : staff ? "{subject body notes}" : "{subject body}"
        var match = "\(searched) : (\(words))"
        switch visibility {
        case .requester(let person, let organisation):
            let scope = [Self.scopeWord("r", person)] + (organisation.map { [Self.scopeWord("o", $0)] } ?? [])
            match = "{scope} : (\(scope.joined(separator: " OR "))) AND " + match
        case .vendor(let vendor):
            match = "{scope} : \(Self.scopeWord("v", vendor)) AND " + match
        case .all, .nothing:
            break
        }
        select.from(SQLRaw("ticket_search CROSS JOIN tickets ON tickets.number = ticket_search.rowid"))
            .where(SQLQueryString("ticket_search MATCH \(bind: match)"))
            // Newest first in the index's own order (its rowid, the ticket number), read without sorting.
            .orderBy(
                SQLOrderBy(expression: SQLColumn("rowid", table: "ticket_search"), direction: SQLDirection.descending)
            )
        return Self.narrow(select, query, visibility)
    }

    /// The last word of a SQLite search as the start of a word when it has three to six letters, read
    /// through the prefix index of its length (``M023_CreateTicketSearch``) in order, like a word. A longer
    /// or shorter word matches itself only: a prefix without an index of its length makes FTS5 merge the
    /// lists of every word that starts with it, and a shorter prefix would find words that do not start with
    /// what was typed.
    static func prefix(_ term: String) -> String {
        isPrefix(term) ? "\"\(term)\"*" : "\"\(term)\""
    }

    /// Whether a last word is searched as the start of a word: three to six letters.
    static func isPrefix(_ term: String) -> Bool { (3...M023_CreateTicketSearch.longestPrefix).contains(term.count) }

    /// A word of the `scope` column in SQLite's full-text index, quoted for a query: `kind` (`r`, `o`, `v`)
    /// and the id's hexadecimal digits, ending in `0`.
    static func scopeWord(_ kind: String, _ id: UUID) -> String {
        "\"" + kind + id.uuidString.replacingOccurrences(of: "-", with: "") + "0\""
    }
}
