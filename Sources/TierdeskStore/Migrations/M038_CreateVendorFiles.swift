import FluentKit

/// The files of a ticket staff shared with its vendor in the vendor thread (``TicketAudience``); those added
/// in the thread itself are for the vendor only.
struct M038_CreateVendorFiles: AsyncMigration {
    var name: String { "M038_CreateVendorFiles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("vendor_files")
            .field("attachment_id", .uuid, .identifier(auto: false), .references("attachments", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("shared_by", .uuid, .required, .references("people", "id"))
            .field("shared_at", .datetime, .required)
            .field("vendor_only", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("vendor_files").delete()
    }
}
