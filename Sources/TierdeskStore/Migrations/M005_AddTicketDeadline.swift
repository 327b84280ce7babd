import FluentKit
import SQLKit

/// Each ticket's next SLA deadline, indexed so queues sort by it.
struct M005_AddTicketDeadline: AsyncMigration {
    var name: String { "M005_AddTicketDeadline" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tickets").field("next_deadline", .datetime).update()
        try await (database as! any SQLDatabase).create(index: "tickets_next_deadline_idx").on("tickets")
            .column("next_deadline").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "tickets_next_deadline_idx").run()
        try await database.schema("tickets").deleteField("next_deadline").update()
    }
}
