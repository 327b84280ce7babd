import FluentKit

/// Single-use invitations to set a password (``Invitation``); only the link secret's hash is kept.
struct M035_CreateInvitations: AsyncMigration {
    var name: String { "M035_CreateInvitations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("invitations")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("token_hash", .string, .required)
            .field("invited_by", .uuid, .required, .references("people", "id"))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invitations").delete()
    }
}
