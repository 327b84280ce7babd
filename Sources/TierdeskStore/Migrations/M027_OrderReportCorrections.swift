import FluentKit
import SQLKit

/// Lets the audit list of data corrections be read a page at a time:
/// - `report_corrections.ordinal`: each correction's place among its ticket's, 0 for the first, which tells
///   apart two corrections of one ticket made at the same instant;
/// - the index on `at` becomes one on the list's order, `(at, number, ordinal)`: a page reads one range of it,
///   and a period's counts still read a range of `at`.
/// The projection's derivation version changes with this migration, so it is derived again from the events.
struct M027_OrderReportCorrections: AsyncMigration {
    var name: String { "M027_OrderReportCorrections" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE report_corrections ADD COLUMN ordinal BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("DROP INDEX report_corrections_at_idx").run()
        try await sql.raw("CREATE INDEX report_corrections_order_idx ON report_corrections (at, number, ordinal)")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX report_corrections_order_idx").run()
        try await sql.raw("CREATE INDEX report_corrections_at_idx ON report_corrections (at)").run()
        try await sql.raw("ALTER TABLE report_corrections DROP COLUMN ordinal").run()
    }
}
