import FluentKit
import SQLKit

/// Each ticket's SLA alarms, fired and pending, in one row with the time the next one is due.
/// One row per ticket keeps opening tickets cheap; the row lock makes each alarm fire once.
struct M006_CreateSLAAlarms: AsyncMigration {
    var name: String { "M006_CreateSLAAlarms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sla_plans")
            .field("ticket_id", .uuid, .identifier(auto: false), .references("tickets", "id"))
            .field("next_fire_at", .datetime)
            .field("alarms", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "sla_plans_next_fire_idx").on("sla_plans")
            .column("next_fire_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sla_plans").delete()
    }
}
