import FluentKit

/// The files of a ticket that stand with a vendor (``TicketAudience/FileMark``): shared with it by staff, or
/// for it only (added in the vendor thread, or by the vendor's contacts).
struct M038_CreateVendorFiles: AsyncMigration {
    var name: String { "M038_CreateVendorFiles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("vendor_files")
            .field("attachment_id", .uuid, .identifier(auto: false), .references("attachments", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("vendor_id", .uuid, .required, .references("vendors", "id"))
            .field("shared_by", .uuid, .required, .references("people", "id"))
            .field("shared_at", .datetime, .required)
            .field("vendor_only", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("vendor_files").delete()
    }
}
