import FluentKit

/// Who has a ticket open in the console, and whether they are writing: one row per ticket and person,
/// refreshed while their page is open; a row not refreshed for a minute means they left.
struct M032_CreateTicketPresence: AsyncMigration {
    var name: String { "M032_CreateTicketPresence" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ticket_presence")
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("state", .string, .required)
            .field("seen_at", .datetime, .required)
            .unique(on: "ticket_id", "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ticket_presence").delete()
    }
}
