import FluentKit
import SQLKit

/// What SLA escalation needs: support groups with their leads, in-app notifications, and on each SLA
/// plan the one-off escalation actions already taken.
struct M007_CreateEscalation: AsyncMigration {
    var name: String { "M007_CreateEscalation" }

    func prepare(on database: any Database) async throws {
        try await database.schema("support_groups")
            .field("name", .string, .identifier(auto: false))
            .field("tier", .string)
            .field("lead_id", .uuid, .references("people", "id"))
            .create()
        try await database.schema("notifications")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("ticket_number", .int64, .required)
            .field("kind", .string, .required)
            .field("message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "notifications_person_idx").on("notifications").column("person_id")
            .column("created_at").run()
        try await database.schema("sla_plans")
            .field("escalations", .string, .required, .sql(.default("[]")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sla_plans").deleteField("escalations").update()
        try await database.schema("notifications").delete()
        try await database.schema("support_groups").delete()
    }
}
