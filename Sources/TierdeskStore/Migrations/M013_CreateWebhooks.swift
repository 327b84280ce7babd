import FluentKit
import SQLKit

/// Webhook subscriptions: a URL, the event types it hears, whether it may point into private networks,
/// and the secret its bodies are signed with.
struct M013_CreateWebhooks: AsyncMigration {
    var name: String { "M013_CreateWebhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_subscriptions")
            .id()
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("allow_private_targets", .bool, .required)
            .field("secret", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_subscriptions").delete()
    }
}
