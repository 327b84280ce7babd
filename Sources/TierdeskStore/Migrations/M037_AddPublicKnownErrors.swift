import FluentKit
import SQLKit

/// Known Error Database articles marked for customers (``KnownError/isPublic``); none is until an
/// author says so.
struct M037_AddPublicKnownErrors: AsyncMigration {
    var name: String { "M037_AddPublicKnownErrors" }

    func prepare(on database: any Database) async throws {
        try await database.schema("known_errors")
            .field("public", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("known_errors").deleteField("public").update()
    }
}
