import FluentKit
import SQLKit

/// The Known Error Database with full-text search on both engines (SQLite FTS5 with the Porter stemmer,
/// PostgreSQL `tsvector` with the English configuration), and the article and resolution on tickets.
struct M009_CreateKnownErrors: AsyncMigration {
    var name: String { "M009_CreateKnownErrors" }

    func prepare(on database: any Database) async throws {
        try await database.schema("known_errors")
            .id()
            .field("number", .int64, .required)
            .field("title", .string, .required)
            .field("symptom", .string, .required)
            .field("root_cause", .string, .required)
            .field("workaround", .string, .required)
            .field("fix_status", .string, .required)
            .field("service_ids", .string, .required)
            .field("problem_ticket_id", .uuid, .references("tickets", "id"))
            .field("lowest_tier", .string, .required)
            .field("created_by", .uuid, .required, .references("people", "id"))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        let sql = database as! any SQLDatabase
        if sql.engine == .postgresql {
            try await sql.raw(
                """
                ALTER TABLE known_errors ADD COLUMN search tsvector GENERATED ALWAYS AS (
                  setweight(to_tsvector('english', title), 'A') ||
                  setweight(to_tsvector('english', symptom), 'B') ||
                  setweight(to_tsvector('english', root_cause || ' ' || workaround), 'C')) STORED
                """
            )
            .run()
            try await sql.raw("CREATE INDEX known_errors_search_idx ON known_errors USING GIN (search)").run()
        } else {
            try await sql.raw(
                "CREATE VIRTUAL TABLE known_errors_fts USING fts5(title, symptom, body, tokenize = 'porter unicode61 remove_diacritics 2')"
            )
            .run()
        }
        try await sql.insert(into: "counters").columns("name", "value").values(SQLBind("known_error"), SQLBind(0)).run()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("tickets").field("known_error_id", .uuid).update()
        try await database.schema("tickets").field("resolution", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tickets").deleteField("resolution").update()
        try await database.schema("tickets").deleteField("known_error_id").update()
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "counters").where("name", .equal, "known_error").run()
        if sql.engine == .sqlite { try await sql.raw("DROP TABLE known_errors_fts").run() }
        try await database.schema("known_errors").delete()
    }
}
