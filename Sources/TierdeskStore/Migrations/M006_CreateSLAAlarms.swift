import FluentKit
import SQLKit

/// Pending and fired SLA alarms. Ticket, clock, level and due time identify an alarm, so it fires once.
struct M006_CreateSLAAlarms: AsyncMigration {
    var name: String { "M006_CreateSLAAlarms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sla_alarms")
            .id()
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("clock", .string, .required)
            .field("level", .string, .required)
            .field("due_at", .datetime, .required)
            .field("fire_at", .datetime, .required)
            .field("fired_at", .datetime)
            .unique(on: "ticket_id", "clock", "level", "due_at")
            .create()
        try await (database as! any SQLDatabase).create(index: "sla_alarms_pending_idx").on("sla_alarms").column("fired_at").column("fire_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sla_alarms").delete()
    }
}
