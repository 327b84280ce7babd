import FluentKit

/// What each import brought over: one row per record of another desk (`source` names the desk, `kind` the
/// record's kind) with the Tierdesk id it became, so running an import again skips it. A ticket's row is
/// written in the transaction that stores the ticket, so an interrupted import resumes without a
/// duplicate or a gap.
struct M030_CreateImportMappings: AsyncMigration {
    var name: String { "M030_CreateImportMappings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("import_mappings")
            .field("source", .string, .required)
            .field("kind", .string, .required)
            .field("source_id", .string, .required)
            .field("target_id", .uuid, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "source", "kind", "source_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_mappings").delete()
    }
}
