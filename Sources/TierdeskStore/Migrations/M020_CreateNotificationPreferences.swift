import FluentKit

/// Each person's choice of how SLA warnings and breaches reach them outside the console.
struct M020_CreateNotificationPreferences: AsyncMigration {
    var name: String { "M020_CreateNotificationPreferences" }

    func prepare(on database: any Database) async throws {
        try await database.schema("notification_preferences")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id"))
            .field("spec", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notification_preferences").delete()
    }
}
