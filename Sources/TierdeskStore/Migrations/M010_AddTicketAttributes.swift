import FluentKit

/// Facts for triage (`attributes`, a JSON object) and tags on tickets.
struct M010_AddTicketAttributes: AsyncMigration {
    var name: String { "M010_AddTicketAttributes" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("tickets").field("attributes", .string, .required, .sql(.default("{}"))).update()
        try await database.schema("tickets").field("tags", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tickets").deleteField("tags").update()
        try await database.schema("tickets").deleteField("attributes").update()
    }
}
