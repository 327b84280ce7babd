import FluentKit
import SQLKit

/// On PostgreSQL, a write to what instances cache (settings, people, organisations, services, contracts and
/// plans, known errors, and the revocation of API and integration tokens) announces itself with
/// `NOTIFY tierdesk_changes_<schema>, '<table> <application_name>'`, sent when its transaction commits;
/// ``ChangeFeed`` listens, and skips the notices of its own instance's writes by their application name.
/// Triggers cover every write path, as the search index's do. SQLite serves one process, which updates its
/// own caches as it writes, so it needs none.
struct M024_AnnounceSharedChanges: AsyncMigration {
    var name: String { "M024_AnnounceSharedChanges" }

    /// Tables announced on every change (statement-level: one notice per statement, however many rows).
    static let tables = [
        "settings", "people", "organisations", "services", "support_contracts", "support_plans", "billing_scopes",
        "known_errors",
    ]
    /// Tables announced only when a row is revoked or deleted: their rows are also touched on use
    /// (`last_used_at`), which changes nothing another instance caches.
    static let revocable = ["api_tokens", "integrations"]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        try await sql.raw(
            """
            CREATE FUNCTION tierdesk_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(
                    'tierdesk_changes_' || TG_TABLE_SCHEMA,
                    TG_TABLE_NAME || ' ' || current_setting('application_name')
                );
                RETURN NULL;
            END $$
            """
        )
        .run()
        for table in Self.tables {
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: table)_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
                ON \(unsafeRaw: table) FOR EACH STATEMENT EXECUTE FUNCTION tierdesk_announce_change()
                """
            )
            .run()
        }
        for table in Self.revocable {
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: table)_announce AFTER UPDATE OF revoked_at OR DELETE
                ON \(unsafeRaw: table) FOR EACH STATEMENT EXECUTE FUNCTION tierdesk_announce_change()
                """
            )
            .run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        for table in Self.tables + Self.revocable {
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_announce ON \(unsafeRaw: table)").run()
        }
        try await sql.raw("DROP FUNCTION IF EXISTS tierdesk_announce_change()").run()
    }
}
