import FluentKit
import SQLKit

/// One row per alert key and source: its ticket, its episode and how often it fired, so that repeats,
/// late firings and early resolutions find what came before them.
struct M012_CreateAlerts: AsyncMigration {
    var name: String { "M012_CreateAlerts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("alerts")
            .field("source", .string, .required)
            .field("alert_key", .string, .required)
            .field("status", .string, .required)
            .field("ticket_id", .uuid, .references("tickets", "id"))
            .field("started_at", .datetime)
            .field("resolved_at", .datetime)
            .field("count", .int64, .required)
            .field("first_seen", .datetime, .required)
            .field("last_seen", .datetime, .required)
            .field("summary", .string, .required)
            .compositeIdentifier(over: "source", "alert_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "alerts_ticket_idx").on("alerts").column("ticket_id").run()
        try await sql.create(index: "alerts_status_idx").on("alerts").column("status").column("last_seen").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("alerts").delete()
    }
}
