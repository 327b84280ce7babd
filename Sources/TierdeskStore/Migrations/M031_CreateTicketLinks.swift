import FluentKit
import SQLKit

/// Links between tickets (``TicketLink``): one row per link, read from either end.
struct M031_CreateTicketLinks: AsyncMigration {
    var name: String { "M031_CreateTicketLinks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ticket_links")
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("kind", .string, .required)
            .field("target_id", .uuid, .required, .references("tickets", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "ticket_id", "kind", "target_id")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX ticket_links_target_idx ON ticket_links (target_id)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ticket_links").delete()
    }
}
