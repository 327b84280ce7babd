import FluentKit
import SQLKit

/// Major incidents: the incident, the tickets it covers, its updates, its timeline entries and review, the
/// subscribers of updates, pages that notify one person before their policy's steps, and an index on
/// when tickets were opened (for the burst rule).
struct M019_CreateMajorIncidents: AsyncMigration {
    var name: String { "M019_CreateMajorIncidents" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("incidents")
            .id()
            .field("number", .int64, .required)
            .field("title", .string, .required)
            .field("public_title", .string, .required)
            .field("severity", .string, .required)
            .field("state", .string, .required)
            .field("origin", .string, .required)
            .field("service_ids", .string, .required)
            .field("organisation_ids", .string, .required)
            .field("lead_id", .uuid, .references("people", "id"))
            .field("comms_lead_id", .uuid, .references("people", "id"))
            .field("declared_at", .datetime, .required)
            .field("declared_by", .uuid)
            .field("next_update_due", .datetime)
            .field("reminded_for", .datetime)
            .field("missed_for", .datetime)
            .field("missed_updates", .int64, .required)
            .field("resolved_at", .datetime)
            .field("closed_at", .datetime)
            .field("version", .int64, .required)
            .field("review", .string)
            .field("review_at", .datetime)
            .field("review_by", .uuid)
            .unique(on: "number")
            .create()
        try await sql.create(index: "incidents_state_idx").on("incidents").column("state").column("declared_at").run()
        try await database.schema("incident_tickets")
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("linked_at", .datetime, .required)
            .field("linked_by", .uuid)
            .unique(on: "incident_id", "ticket_id")
            .create()
        try await sql.create(index: "incident_tickets_ticket_idx").on("incident_tickets").column("ticket_id").run()
        try await database.schema("incident_updates")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("at", .datetime, .required)
            .field("author_id", .uuid)
            .field("state", .string, .required)
            .field("message", .string, .required)
            .field("no_change", .bool, .required)
            .field("next_update_due", .datetime)
            .create()
        try await sql.create(index: "incident_updates_incident_idx").on("incident_updates").column("incident_id")
            .column("at").run()
        try await database.schema("incident_entries")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("actor_id", .uuid)
            .field("text", .string, .required)
            .create()
        try await sql.create(index: "incident_entries_incident_idx").on("incident_entries").column("incident_id")
            .column("at").run()
        try await database.schema("incident_subscribers")
            .id()
            .field("kind", .string, .required)
            .field("target", .string, .required)
            .field("service_id", .uuid, .references("services", "id"))
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("allow_private_targets", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("pages").field("person_id", .uuid).update()
        // The burst rule looks at the last minutes' tickets every minute: a range, not a scan of the table.
        try await sql.create(index: "tickets_created_idx").on("tickets").column("created_at").run()
        try await sql.insert(into: "counters").columns("name", "value").values(SQLBind("incident"), SQLBind(0)).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "counters").where("name", .equal, "incident").run()
        try await sql.drop(index: "tickets_created_idx").run()
        try await database.schema("pages").deleteField("person_id").update()
        for table in ["incident_subscribers", "incident_entries", "incident_updates", "incident_tickets", "incidents"] {
            try await database.schema(table).delete()
        }
    }
}
