import FluentKit
import SQLKit

/// Canned responses and macros (``ResponseTemplate``): shared ones have no owner.
struct M033_CreateResponseTemplates: AsyncMigration {
    var name: String { "M033_CreateResponseTemplates" }

    func prepare(on database: any Database) async throws {
        try await database.schema("response_templates")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("body", .string, .required)
            .field("owner_id", .uuid, .references("people", "id"))
            .field("status", .string)
            .field("group_name", .string)
            .field("assign_to_me", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "response_templates_owner_idx")
            .on("response_templates").column("owner_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("response_templates").delete()
    }
}
