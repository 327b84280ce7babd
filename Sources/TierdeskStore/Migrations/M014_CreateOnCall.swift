import FluentKit
import SQLKit

/// On call: schedules (their spec as JSON and the last coverage check), overrides, escalation policies,
/// pages and their history, each person's paging contacts, calendar feed tokens, and the page an
/// outbox message belongs to (so an acknowledgement cancels what is still queued).
struct M014_CreateOnCall: AsyncMigration {
    var name: String { "M014_CreateOnCall" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("oncall_schedules")
            .id()
            .field("name", .string, .required)
            .field("spec", .string, .required)
            .field("coverage", .string)
            .field("coverage_checked_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("oncall_overrides")
            .id()
            .field("schedule_id", .uuid, .required, .references("oncall_schedules", "id"))
            .field("role", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .create()
        try await sql.create(index: "oncall_overrides_schedule_idx").on("oncall_overrides").column("schedule_id")
            .column("end_at").run()
        try await database.schema("escalation_policies")
            .id()
            .field("name", .string, .required)
            .field("spec", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("pages")
            .id()
            .field("ticket_id", .uuid, .references("tickets", "id"))
            .field("policy_id", .uuid, .required, .references("escalation_policies", "id"))
            .field("title", .string, .required)
            .field("severity", .string, .required)
            .field("origin", .string, .required)
            .field("status", .string, .required)
            .field("started_at", .datetime, .required)
            .field("started_by", .uuid)
            .field("next_step", .int64, .required)
            .field("next_step_at", .datetime)
            .field("acknowledged_by", .uuid)
            .field("acknowledged_at", .datetime)
            .field("resolved_at", .datetime)
            .create()
        try await sql.create(index: "pages_due_idx").on("pages").column("status").column("next_step_at").run()
        try await sql.create(index: "pages_ticket_idx").on("pages").column("ticket_id").run()
        try await database.schema("page_events")
            .id()
            .field("page_id", .uuid, .required, .references("pages", "id"))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("step", .int64)
            .field("person_id", .uuid)
            .field("detail", .string)
            .create()
        try await sql.create(index: "page_events_page_idx").on("page_events").column("page_id").column("at").run()
        try await sql.create(index: "page_events_person_idx").on("page_events").column("person_id").column("at").run()
        try await database.schema("paging_contacts")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id"))
            .field("methods", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("calendar_feeds")
            .field("token_hash", .string, .identifier(auto: false))
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "subject_kind", "subject_id")
            .create()
        try await database.schema("outbox").field("page_id", .uuid).update()
        try await sql.create(index: "outbox_page_idx").on("outbox").column("page_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "outbox_page_idx").run()
        try await database.schema("outbox").deleteField("page_id").update()
        for table in [
            "calendar_feeds", "paging_contacts", "page_events", "pages", "escalation_policies", "oncall_overrides",
            "oncall_schedules",
        ] {
            try await database.schema(table).delete()
        }
    }
}
