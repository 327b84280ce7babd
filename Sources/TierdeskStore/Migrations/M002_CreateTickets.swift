import FluentKit
import SQLKit

/// Tickets, their append-only events, attachments and the reference counter.
struct M002_CreateTickets: AsyncMigration {
    var name: String { "M002_CreateTickets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tickets")
            .id()
            .field("number", .int64, .required)
            .field("type", .string, .required)
            .field("channel", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("requester_id", .uuid, .required, .references("people", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("service_id", .uuid, .references("services", "id"))
            .field("impact", .string, .required)
            .field("urgency", .string, .required)
            .field("priority", .string, .required)
            .field("severity", .string, .required)
            .field("status", .string, .required)
            .field("tier", .string, .required)
            .field("group_name", .string)
            .field("owner_id", .uuid, .references("people", "id"))
            .field("vendor_id", .uuid, .references("vendors", "id"))
            .field("workaround_applied", .bool, .required)
            .field("requested_by", .datetime)
            .field("version", .int64, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        // `seq` orders a ticket's history exactly as it was written, even within one instant.
        try await database.schema("ticket_events")
            .field("seq", .int64, .identifier(auto: true))
            .field("id", .uuid, .required)
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("kind", .string, .required)
            .field("actor_id", .uuid, .references("people", "id"))
            .field("at", .datetime, .required)
            .field("field", .string)
            .field("before_value", .string)
            .field("after_value", .string)
            .field("body", .string)
            .field("internal", .bool, .required)
            .unique(on: "id")
            .create()
        try await database.schema("attachments")
            .id()
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("data", .data, .required)
            .field("uploaded_by", .uuid, .required, .references("people", "id"))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("counters")
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()

        let sql = database as! any SQLDatabase
        try await sql.insert(into: "counters").columns("name", "value").values(SQLBind("ticket"), SQLBind(1000)).run()
        for (index, columns) in [
            ("tickets_status_tier_idx", ["status", "tier"]),
            ("tickets_requester_idx", ["requester_id"]),
            ("tickets_organisation_idx", ["organisation_id"]),
            ("tickets_owner_idx", ["owner_id"]),
            ("tickets_vendor_idx", ["vendor_id"]),
            ("ticket_events_ticket_idx", ["ticket_id", "seq"]),
            ("attachments_ticket_idx", ["ticket_id"]),
        ] {
            let table =
                index.hasPrefix("ticket_events")
                ? "ticket_events" : index.hasPrefix("attachments") ? "attachments" : "tickets"
            var builder = sql.create(index: index).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["counters", "attachments", "ticket_events", "tickets"] {
            try await database.schema(table).delete()
        }
    }
}
