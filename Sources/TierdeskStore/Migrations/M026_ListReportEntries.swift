import FluentKit
import SQLKit

/// Lets the reports' projection list the tickets behind a number without recomputing them:
/// - `report_entries`: each ticket's entries under a key some list is made from
///   (``OperatingReport/listedKeys``), one row per key, local day and ticket, with the ticket's number (lists
///   run newest first) and its current tier. Keyed by key, day and ticket: a list reads one range of it.
/// - `report_segments.number`: the ticket's number beside each open stretch, for the backlog's lists; the
///   index of open stretches covers what the backlog counts, so counting it reads the index alone.
/// - `report_corrections.previous_at`: when the ticket's correction before this one was made: the tickets
///   corrected in a period are its corrections whose previous one lies before it, counted without sorting.
/// The projection's derivation version changes with this migration, so it is derived again from the events.
struct M026_ListReportEntries: AsyncMigration {
    var name: String { "M026_ListReportEntries" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.engine == .postgresql {
            try await sql.raw(
                """
                CREATE TABLE report_entries (slice TEXT NOT NULL, day BIGINT NOT NULL, ticket_id UUID NOT NULL,
                number BIGINT NOT NULL, tier TEXT NOT NULL, PRIMARY KEY (slice, day, ticket_id))
                """
            )
            .run()
        } else {
            try await sql.raw(
                """
                CREATE TABLE report_entries (slice TEXT NOT NULL, day INTEGER NOT NULL, ticket_id BLOB NOT NULL,
                number INTEGER NOT NULL, tier TEXT NOT NULL, PRIMARY KEY (slice, day, ticket_id)) WITHOUT ROWID
                """
            )
            .run()
        }
        try await sql.raw("ALTER TABLE report_segments ADD COLUMN number BIGINT").run()
        try await sql.raw("DROP INDEX report_segments_end_idx").run()
        try await sql.raw(
            "CREATE INDEX report_segments_open_idx ON report_segments (end_at, start_at, tier, tier_then, created_at)"
        )
        .run()
        try await sql.raw("ALTER TABLE report_corrections ADD COLUMN previous_at BIGINT").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE report_corrections DROP COLUMN previous_at").run()
        try await sql.raw("DROP INDEX report_segments_open_idx").run()
        try await sql.raw("CREATE INDEX report_segments_end_idx ON report_segments (end_at)").run()
        try await sql.raw("ALTER TABLE report_segments DROP COLUMN number").run()
        try await database.schema("report_entries").delete()
    }
}
