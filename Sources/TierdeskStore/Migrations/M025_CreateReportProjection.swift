import FluentKit
import SQLKit

/// The reports' projection (``ReportProjection``): what each ticket adds to the reports, and the sums of
/// whole local days, kept equal to a recomputation from the tickets' events.
/// - `report_changes`: tickets written since the projection last read them. Triggers fill it on every path
///   that writes a ticket or an event (the API, mail, alerts, timers, imports), as the search index's do;
///   a `created` event is written with its ticket, whose insert queued it already.
///   SQLite keeps one row per ticket and counts its writes in `version`; PostgreSQL appends from
///   statement-level triggers, so a ticket's writers never wait for the projection. A refresh deletes only
///   the rows it read unchanged.
/// - `report_tickets`: each ticket's entries (JSON), its current tier and when they next change by time alone.
/// - `report_counts`: the entries' sums per local day and per local month (`span` `day` or `month`,
///   `period` the day or month number), per current tier and for all tiers (`all`), and per key;
///   `report_repeats`: entries a ticket earned again (a second escalation to L3), which count in a period
///   only if the one before lies outside it.
/// - `report_corrections`: data corrections, judged at report time against who may write data.
/// - `report_segments`: stretches a ticket stood open at one tier, for the backlog of any instant.
/// - `report_state`: which SLA settings and home time zone the projection was derived with, and the latest
///   instant it was derived at.
/// Instants are microseconds since 1970; days are local days since 1970 in the home time zone.
struct M025_CreateReportProjection: AsyncMigration {
    var name: String { "M025_CreateReportProjection" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.engine == .postgresql
        if postgres {
            try await database.schema("report_changes")
                .field("id", .int64, .identifier(auto: true))
                .field("ticket_id", .uuid, .required)
                .field("version", .int64, .required, .sql(.default(0)))
                .create()
        } else {
            // One B-tree keyed by the ticket: queuing a ticket again only bumps its version in place.
            try await sql.raw(
                """
                CREATE TABLE report_changes (ticket_id BLOB PRIMARY KEY NOT NULL, version INTEGER NOT NULL DEFAULT 0)
                WITHOUT ROWID
                """
            )
            .run()
        }
        try await database.schema("report_state")
            .field("name", .string, .identifier(auto: false))
            .field("fingerprint", .string, .required)
            .field("derived_at", .int64, .required)
            .create()
        try await database.schema("report_tickets")
            .field("ticket_id", .uuid, .identifier(auto: false))
            .field("tier", .string, .required)
            .field("entries", .string, .required)
            .field("valid_until", .int64)
            .create()
        try await database.schema("report_counts")
            .field("span", .string, .required)
            .field("tier", .string, .required)
            .field("period", .int64, .required)
            .field("slice", .string, .required)
            .field("tickets", .int64, .required)
            .field("value", .int64, .required)
            .field("business", .int64, .required)
            .field("business_tickets", .int64, .required)
            .compositeIdentifier(over: "span", "tier", "period", "slice")
            .create()
        try await database.schema("report_repeats")
            .field("ticket_id", .uuid, .required)
            .field("slice", .string, .required)
            .field("tier", .string, .required)
            .field("day", .int64, .required)
            .field("previous_day", .int64, .required)
            .create()
        try await database.schema("report_corrections")
            .field("ticket_id", .uuid, .required)
            .field("number", .int64, .required)
            .field("tier", .string, .required)
            .field("at", .int64, .required)
            .field("actor_id", .uuid)
            .field("reason", .string, .required)
            .create()
        try await database.schema("report_segments")
            .field("ticket_id", .uuid, .required)
            .field("tier", .string, .required)
            .field("tier_then", .string, .required)
            .field("created_at", .int64, .required)
            .field("start_at", .int64, .required)
            .field("end_at", .int64)
            .create()
        for statement in Self.indexes + (postgres ? Self.postgresTriggers : Self.sqliteTriggers) {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    static let indexes = [
        "CREATE INDEX report_tickets_valid_idx ON report_tickets (valid_until) WHERE valid_until IS NOT NULL",
        "CREATE INDEX report_repeats_day_idx ON report_repeats (day)",
        "CREATE INDEX report_repeats_ticket_idx ON report_repeats (ticket_id)",
        "CREATE INDEX report_corrections_at_idx ON report_corrections (at)",
        "CREATE INDEX report_corrections_ticket_idx ON report_corrections (ticket_id)",
        "CREATE INDEX report_segments_end_idx ON report_segments (end_at)",
        "CREATE INDEX report_segments_ticket_idx ON report_segments (ticket_id)",
    ]

    static let sqliteTriggers = [
        """
        CREATE TRIGGER report_change_on_ticket AFTER INSERT ON tickets BEGIN
            INSERT INTO report_changes (ticket_id) VALUES (new.id)
            ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
        END
        """,
        """
        CREATE TRIGGER report_change_on_event AFTER INSERT ON ticket_events WHEN new.kind <> 'created' BEGIN
            INSERT INTO report_changes (ticket_id) VALUES (new.ticket_id)
            ON CONFLICT (ticket_id) DO UPDATE SET version = version + 1;
        END
        """,
    ]

    static let postgresTriggers = [
        """
        CREATE FUNCTION report_change_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO report_changes (ticket_id) SELECT id FROM written;
            RETURN NULL;
        END $$
        """,
        """
        CREATE FUNCTION report_change_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO report_changes (ticket_id) SELECT DISTINCT ticket_id FROM written WHERE kind <> 'created';
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER report_change_on_ticket AFTER INSERT ON tickets REFERENCING NEW TABLE AS written
        FOR EACH STATEMENT EXECUTE FUNCTION report_change_tickets()
        """,
        """
        CREATE TRIGGER report_change_on_event AFTER INSERT ON ticket_events REFERENCING NEW TABLE AS written
        FOR EACH STATEMENT EXECUTE FUNCTION report_change_events()
        """,
    ]

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let triggers =
            sql.engine == .postgresql
            ? [
                "DROP TRIGGER report_change_on_event ON ticket_events",
                "DROP TRIGGER report_change_on_ticket ON tickets",
                "DROP FUNCTION report_change_events()",
                "DROP FUNCTION report_change_tickets()",
            ]
            : ["DROP TRIGGER report_change_on_event", "DROP TRIGGER report_change_on_ticket"]
        for statement in triggers { try await sql.raw(SQLQueryString(statement)).run() }
        for table in [
            "report_segments", "report_corrections", "report_repeats", "report_counts", "report_tickets",
            "report_state", "report_changes",
        ] {
            try await database.schema(table).delete()
        }
    }
}
