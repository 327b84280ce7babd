import FluentKit
import SQLKit

/// Sessions, API tokens, login throttling and settings.
struct M003_CreateCredentials: AsyncMigration {
    var name: String { "M003_CreateCredentials" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("login_attempts")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int64, .required)
            .field("window_start", .datetime, .required)
            .create()
        try await database.schema("settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["settings", "login_attempts", "api_tokens", "sessions"] {
            try await database.schema(table).delete()
        }
    }
}
