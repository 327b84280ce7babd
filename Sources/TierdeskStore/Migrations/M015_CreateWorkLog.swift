import FluentKit
import SQLKit

/// Work logged on Sev1/Sev2 tickets for time off in lieu; indexes to find a month's acknowledged pages and
/// notifications, and to list pages newest first.
struct M015_CreateWorkLog: AsyncMigration {
    var name: String { "M015_CreateWorkLog" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("work_log")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("note", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await sql.create(index: "work_log_start_idx").on("work_log").column("start_at").run()
        try await sql.create(index: "pages_acknowledged_idx").on("pages").column("acknowledged_at").run()
        try await sql.create(index: "page_events_kind_idx").on("page_events").column("kind").column("at").run()
        try await sql.create(index: "pages_started_idx").on("pages").column("started_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in ["pages_started_idx", "page_events_kind_idx", "pages_acknowledged_idx"] {
            try await sql.drop(index: index).run()
        }
        try await database.schema("work_log").delete()
    }
}
