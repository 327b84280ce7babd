import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// The Known Error Database. Articles are searched by full text with the same answers on both engines:
/// SQLite ranks with FTS5's bm25, PostgreSQL with `ts_rank`; titles weigh most, then symptoms.
public struct KnownErrorRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    static let columns = [
        "id", "number", "title", "symptom", "root_cause", "workaround", "fix_status", "service_ids",
        "problem_ticket_id", "lowest_tier", "created_by", "created_at", "updated_at", "public",
    ]

    /// Stores a new article under the next `KE-` number.
    public func create(_ draft: KnownErrorDraft, by author: UUID, at now: Date) async throws -> KnownError {
        try await importArticles([draft], by: author, at: now)[0]
    }

    /// Imports many articles in one transaction (numbered in order); for migrations from another tool.
    public func importArticles(_ drafts: [KnownErrorDraft], by author: UUID, at now: Date) async throws -> [KnownError]
    {
        guard !drafts.isEmpty else { return [] }
        return try await database.write { db in
            let sql = db as! any SQLDatabase
            guard
                let last =
                    try await sql.raw(
                        "UPDATE counters SET value = value + \(literal: drafts.count) WHERE name = 'known_error' RETURNING value"
                    )
                    .first(decodingColumn: "value", as: Int.self)
            else {
                throw TierdeskError.conflict("The article counter is missing; run the migrations.")
            }
            let articles = drafts.enumerated()
                .map { index, draft in
                    KnownError(
                        id: UUID.timeOrdered(),
                        number: last - drafts.count + 1 + index,
                        title: draft.title,
                        symptom: draft.symptom,
                        rootCause: draft.rootCause,
                        workaround: draft.workaround,
                        fixStatus: draft.fixStatus,
                        serviceIDs: draft.serviceIDs,
                        problemTicketID: draft.problemTicketID,
                        lowestTier: draft.lowestTier,
                        createdBy: author,
                        createdAt: now,
                        updatedAt: now,
                        isPublic: draft.isPublic
                    )
                }
            for chunk in stride(from: 0, to: articles.count, by: 500)
                .map({ Array(articles[$0..<min($0 + 500, articles.count)]) })
            {
                let insert = sql.insert(into: "known_errors").columns(Self.columns)
                for article in chunk { insert.values(Self.values(article)) }
                try await insert.run()
                if sql.engine == .sqlite {
                    let index = sql.insert(into: "known_errors_fts").columns("rowid", "title", "symptom", "body")
                    for article in chunk {
                        index.values(
                            SQLBind(article.number),
                            SQLBind(article.title),
                            SQLBind(article.symptom),
                            SQLBind(article.rootCause + "\n" + article.workaround)
                        )
                    }
                    try await index.run()
                }
            }
            return articles
        }
    }

    /// Replaces an article's content; false if there is none with this number.
    public func update(number: Int, with draft: KnownErrorDraft, at now: Date) async throws -> KnownError? {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let select = sql.select().columns(Self.columns).from("known_errors").where("number", .equal, number)
            select.lockedForUpdate(on: sql.engine)
            guard var article = try await select.first().map(Self.article) else { return nil }
            article.title = draft.title
            article.symptom = draft.symptom
            article.rootCause = draft.rootCause
            article.workaround = draft.workaround
            article.fixStatus = draft.fixStatus
            article.serviceIDs = draft.serviceIDs
            article.problemTicketID = draft.problemTicketID
            article.lowestTier = draft.lowestTier
            article.isPublic = draft.isPublic
            article.updatedAt = now
            try await sql.update("known_errors")
                .set("title", to: SQLBind(article.title)).set("symptom", to: SQLBind(article.symptom))
                .set("root_cause", to: SQLBind(article.rootCause)).set("workaround", to: SQLBind(article.workaround))
                .set("fix_status", to: SQLBind(article.fixStatus.rawValue))
                .set("service_ids", to: SQLBind(Self.text(article.serviceIDs)))
                .set("problem_ticket_id", to: SQLBind(article.problemTicketID))
                .set("lowest_tier", to: SQLBind(article.lowestTier.rawValue))
                .set("public", to: SQLBind(article.isPublic))
                .set("updated_at", to: SQLBind(now))
                .where("number", .equal, number).run()
            try await Self.reindex(article, on: sql)
            return article
        }
    }

    /// Shows the article to customers or not; only that column changes. Nil if there is no such article.
    public func setPublic(number: Int, _ isPublic: Bool, at now: Date) async throws -> KnownError? {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("known_errors").set("public", to: SQLBind(isPublic))
                .set("updated_at", to: SQLBind(now)).where("number", .equal, number).run()
        }
        return try await find(number: number)
    }

    public func find(number: Int) async throws -> KnownError? {
        try await database.sql.select().columns(Self.columns).from("known_errors").where("number", .equal, number)
            .first().map(Self.article)
    }

    /// The ids of the articles with these numbers, in one query; numbers without an article are left out.
    public func ids(numbers: Set<Int>) async throws -> [Int: UUID] {
        guard !numbers.isEmpty else { return [:] }
        var ids: [Int: UUID] = [:]
        for row in try await database.sql.select().column("number").column("id").from("known_errors")
            .where("number", .in, Array(numbers)).all()
        {
            ids[try row.decode(column: "number", as: Int.self)] = try row.decode(column: "id", as: UUID.self)
        }
        return ids
    }

    public func find(id: UUID) async throws -> KnownError? {
        try await database.sql.select().columns(Self.columns).from("known_errors").where("id", .equal, id).first()
            .map(Self.article)
    }

    /// The articles shown to customers, newest first.
    public func publicArticles(limit: Int = 200) async throws -> [KnownError] {
        try await database.sql.select().columns(Self.columns).from("known_errors").where("public", .equal, true)
            .orderBy("number", .descending).limit(limit).all().map(Self.article)
    }

    /// The newest articles.
    public func recent(limit: Int = 50) async throws -> [KnownError] {
        try await database.sql.select().columns(Self.columns).from("known_errors").orderBy("number", .descending)
            .limit(limit).all().map(Self.article)
    }

    /// Search terms used per query at most; the title's come first.
    static let queryTerms = 12
    /// Newest matches taken per term.
    static let matchesPerTerm = 200
    /// Best candidates whose titles are read for the final order.
    static let candidates = 25

    /// The articles that best match free text, best first.
    ///
    /// Each term is looked up on its own in the full-text index (newest matches first, at most
    /// ``matchesPerTerm``: rare, telling terms yield all of theirs). An article scores the inverse document
    /// frequency of every term it holds; the best ``candidates`` are read and score three times over for
    /// terms in their titles. Scoring in Tierdesk rather than with the engine's rank function keeps a search
    /// fast at any database size (ranking every article that shares a word with a ticket is not) and gives
    /// the same order on SQLite and PostgreSQL.
    public func search(_ text: String, limit: Int = 5) async throws -> [KnownError] {
        let terms = Array(SearchTerms.terms(in: text).prefix(Self.queryTerms))
        guard !terms.isEmpty else { return [] }
        let sql = database.sql
        let postgres = sql.engine == .postgresql
        let total = Double(
            max(
                try await sql.select().column("value").from("counters").where("name", .equal, "known_error")
                    .first(decodingColumn: "value", as: Int.self) ?? 1,
                1
            )
        )
        var scores: [Int: Double] = [:]
        var weights: [String: Double] = [:]
        let matchesByTerm =
            postgres ? try await Self.postgresMatches(terms, on: sql) : try await Self.sqliteMatches(terms, on: sql)
        for term in terms {
            guard let matches = matchesByTerm[term], !matches.isEmpty else { continue }
            let weight = log(1 + total / Double(matches.count))
            weights[term] = weight
            for number in matches { scores[number, default: 0] += weight }
        }
        let best = scores.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(Self.candidates).map(\.key)
        guard !best.isEmpty else { return [] }
        let found = try await sql.select().columns(Self.columns).from("known_errors").where("number", .in, best).all()
            .map(Self.article)
        func score(_ article: KnownError) -> Double {
            let title = SearchTerms.terms(in: article.title, limit: 40)
            let bonus = weights.reduce(0.0) { sum, entry in
                sum + (title.contains { Self.sameWord($0, entry.key) } ? 2 * entry.value : 0)
            }
            return (scores[article.number] ?? 0) + bonus
        }
        return found.map { ($0, score($0)) }
            .sorted { ($0.1, $0.0.number) > ($1.1, $1.0.number) }
            .prefix(limit).map(\.0)
    }

    /// Each term's newest matches in SQLite's FTS5 index (Porter stems), one query per term.
    private static func sqliteMatches(_ terms: [String], on sql: any SQLDatabase) async throws -> [String: [Int]] {
        var matches: [String: [Int]] = [:]
        for term in terms {
            matches[term] =
                try await sql.raw(
                    "SELECT rowid AS number FROM known_errors_fts WHERE known_errors_fts MATCH \(bind: "\"\(term)\"") ORDER BY rowid DESC LIMIT \(literal: matchesPerTerm)"
                )
                .all().map { try $0.decode(column: "number", as: Int.self) }
        }
        return matches
    }

    /// Each term's newest matches on PostgreSQL, all in one query: every term is stemmed as the `search`
    /// column is (`english`), and its articles come from the B-tree of `known_error_terms` alone.
    private static func postgresMatches(_ terms: [String], on sql: any SQLDatabase) async throws -> [String: [Int]] {
        var words = SQLQueryString("")
        for (index, term) in terms.enumerated() {
            if index > 0 { words.appendLiteral(", ") }
            words.appendInterpolation(bind: term)
        }
        // One row per word with its numbers as an array: decoding a few rows is much cheaper than thousands.
        var query = SQLQueryString(
            "SELECT q.word, ARRAY(SELECT number FROM known_error_terms WHERE term = q.lexeme ORDER BY number DESC LIMIT \(literal: matchesPerTerm)) AS numbers FROM (SELECT w.word, (tsvector_to_array(to_tsvector('english', w.word)))[1] AS lexeme FROM unnest(ARRAY["
        )
        query.appendInterpolation(words)
        query.appendLiteral("]::text[]) AS w(word)) q")
        var matches: [String: [Int]] = [:]
        for row in try await sql.raw(query).all() {
            matches[try row.decode(column: "word", as: String.self)] = try row.decode(column: "numbers", as: [Int].self)
        }
        return matches
    }

    /// Words that share their stem, roughly: equal, or one starts with the other's first five letters.
    public static func sameWord(_ a: String, _ b: String) -> Bool {
        a == b || (a.count >= 5 && b.count >= 5 && a.prefix(5) == b.prefix(5))
    }

    /// Keeps SQLite's full-text index in step with the article (PostgreSQL derives its own column).
    private static func reindex(_ article: KnownError, on sql: any SQLDatabase) async throws {
        guard sql.engine == .sqlite else { return }
        try await sql.raw("DELETE FROM known_errors_fts WHERE rowid = \(bind: article.number)").run()
        try await sql.raw(
            "INSERT INTO known_errors_fts (rowid, title, symptom, body) VALUES (\(bind: article.number), \(bind: article.title), \(bind: article.symptom), \(bind: article.rootCause + "\n" + article.workaround))"
        )
        .run()
    }

    private static func values(_ article: KnownError) -> [any SQLExpression] {
        [
            SQLBind(article.id), SQLBind(article.number), SQLBind(article.title), SQLBind(article.symptom),
            SQLBind(article.rootCause), SQLBind(article.workaround),
            SQLBind(article.fixStatus.rawValue), SQLBind(text(article.serviceIDs)), SQLBind(article.problemTicketID),
            SQLBind(article.lowestTier.rawValue),
            SQLBind(article.createdBy), SQLBind(article.createdAt), SQLBind(article.updatedAt),
            SQLBind(article.isPublic),
        ]
    }

    private static func text(_ ids: [UUID]) -> String { ids.map(\.uuidString).joined(separator: ",") }

    private static func article(_ row: any SQLRow) throws -> KnownError {
        KnownError(
            id: try row.decode(column: "id", as: UUID.self),
            number: try row.decode(column: "number", as: Int.self),
            title: try row.decode(column: "title", as: String.self),
            symptom: try row.decode(column: "symptom", as: String.self),
            rootCause: try row.decode(column: "root_cause", as: String.self),
            workaround: try row.decode(column: "workaround", as: String.self),
            fixStatus: FixStatus(rawValue: try row.decode(column: "fix_status", as: String.self)) ?? .workaroundOnly,
            serviceIDs: try row.decode(column: "service_ids", as: String.self).split(separator: ",")
                .compactMap { UUID(uuidString: String($0)) },
            problemTicketID: try row.decode(column: "problem_ticket_id", as: UUID?.self),
            lowestTier: Tier(rawValue: try row.decode(column: "lowest_tier", as: String.self)) ?? .l3,
            createdBy: try row.decode(column: "created_by", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self),
            isPublic: try row.decode(column: "public", as: Bool.self)
        )
    }
}
