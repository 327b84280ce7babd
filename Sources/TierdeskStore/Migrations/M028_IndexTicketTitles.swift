import FluentKit
import SQLKit

/// On PostgreSQL, a GIN index on the words of each ticket's title, so a search's title matches are read from an
/// index whose every word is in the title. The full-text index's weights cannot do that: it holds the title as
/// weight A beside the rest, and a match on weight A is checked against each ticket's vector afterwards, which
/// costs a read of every ticket with the words anywhere. SQLite's full-text index has the title as a column of
/// its own already.
struct M028_IndexTicketTitles: AsyncMigration {
    var name: String { "M028_IndexTicketTitles" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        try await sql.raw("CREATE INDEX tickets_title_search_idx ON tickets USING GIN (to_tsvector('english', title))")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        try await sql.raw("DROP INDEX tickets_title_search_idx").run()
    }
}
