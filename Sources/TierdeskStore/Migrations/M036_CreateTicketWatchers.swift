import FluentKit

/// Who watches which ticket (``TicketWatch``): one row per ticket and person.
struct M036_CreateTicketWatchers: AsyncMigration {
    var name: String { "M036_CreateTicketWatchers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ticket_watchers")
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("added_by", .uuid, .required, .references("people", "id"))
            .field("added_at", .datetime, .required)
            .unique(on: "ticket_id", "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ticket_watchers").delete()
    }
}
