import FluentKit
import SQLKit

/// The outbox of outgoing messages, the receipts of incoming mail (so a message delivered twice by a
/// mail server makes one ticket), and the tokens of integrations (mail gateway, monitoring).
struct M011_CreateOutbox: AsyncMigration {
    var name: String { "M011_CreateOutbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema("outbox")
            .id()
            .field("key", .string, .required)
            .field("channel", .string, .required)
            .field("recipient", .string, .required)
            .field("automatic", .bool, .required)
            .field("payload", .data, .required)
            .field("ticket_id", .uuid)
            .field("status", .string, .required)
            .field("attempts", .int64, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("lease_until", .datetime)
            .field("lease_token", .uuid)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .unique(on: "key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "outbox_due_idx").on("outbox").column("status").column("next_attempt_at").run()
        try await sql.create(index: "outbox_recipient_idx").on("outbox").column("recipient").column("created_at").run()
        try await database.schema("mail_receipts")
            .field("message_id", .string, .identifier(auto: false))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("received_at", .datetime, .required)
            .create()
        try await sql.create(index: "mail_receipts_ticket_idx").on("mail_receipts").column("ticket_id")
            .column("received_at").run()
        try await database.schema("integrations")
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .unique(on: "kind", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("integrations").delete()
        try await database.schema("mail_receipts").delete()
        try await database.schema("outbox").delete()
    }
}
