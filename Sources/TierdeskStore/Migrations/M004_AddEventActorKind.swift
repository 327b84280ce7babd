import FluentKit
import SQLKit

/// Records whether an event's actor was staff, so SLA clocks know which replies answer a ticket.
struct M004_AddEventActorKind: AsyncMigration {
    var name: String { "M004_AddEventActorKind" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ticket_events")
            .field("by_staff", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ticket_events").deleteField("by_staff").update()
    }
}
