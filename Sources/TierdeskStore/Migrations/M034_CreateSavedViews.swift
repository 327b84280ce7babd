import FluentKit

/// Each person's saved queue views (``SavedView``), one name each.
struct M034_CreateSavedViews: AsyncMigration {
    var name: String { "M034_CreateSavedViews" }

    func prepare(on database: any Database) async throws {
        try await database.schema("saved_views")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "person_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("saved_views").delete()
    }
}
