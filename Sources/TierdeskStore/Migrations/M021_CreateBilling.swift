import FluentKit
import SQLKit

/// Support plans, contracts, billing scope, projects, vendor costs, running timers, closed statements and
/// the balance warnings sent; logged work becomes the one time record (billable, with a category).
struct M021_CreateBilling: AsyncMigration {
    var name: String { "M021_CreateBilling" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.alter(table: "work_log")
            .column("billable", type: .custom(SQLRaw("BOOLEAN NOT NULL DEFAULT TRUE")))
            .run()
        try await sql.alter(table: "work_log")
            .column("category", type: .custom(SQLRaw("VARCHAR(20) NOT NULL DEFAULT 'break_fix'"))).run()
        try await sql.create(index: "work_log_ticket_idx").on("work_log").column("ticket_id").column("start_at").run()
        try await database.schema("time_timers")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("started_at", .datetime, .required)
            .create()
        try await database.schema("support_plans")
            .id()
            .field("name", .string, .required)
            .field("spec", .string, .required)
            .field("version", .int64, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("support_contracts")
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("plan_id", .uuid, .required, .references("support_plans", "id"))
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("renews", .bool, .required)
            .field("notice_days", .int64, .required)
            .field("customer_sees_billing", .bool, .required)
            .field("account_manager_id", .uuid, .references("people", "id"))
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "support_contracts_organisation_idx").on("support_contracts")
            .column("organisation_id").run()
        try await database.schema("projects")
            .id()
            .field("number", .int64, .required)
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("title", .string, .required)
            .field("estimate_minutes", .int64, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "number")
            .create()
        try await sql.insert(into: "counters").columns("name", "value").values(SQLBind("project"), SQLBind(0)).run()
        try await database.schema("billing_scopes")
            .field("ticket_id", .uuid, .identifier(auto: false), .references("tickets", "id"))
            .field("kind", .string, .required)
            .field("consent", .string)
            .field("project_id", .uuid, .references("projects", "id"))
            .field("decided_by", .uuid, .required)
            .field("decided_at", .datetime, .required)
            .create()
        try await database.schema("vendor_costs")
            .id()
            .field("ticket_id", .uuid, .required, .references("tickets", "id"))
            .field("vendor_id", .uuid, .references("vendors", "id"))
            .field("amount", .int64, .required)
            .field("currency", .string, .required)
            .field("note", .string, .required)
            .field("incurred_at", .datetime, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await sql.create(index: "vendor_costs_incurred_idx").on("vendor_costs").column("incurred_at").run()
        try await database.schema("statement_closures")
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("month", .string, .required)
            .field("statement", .string, .required)
            .field("closed_by", .uuid, .required)
            .field("closed_at", .datetime, .required)
            .unique(on: "organisation_id", "month")
            .create()
        try await database.schema("billing_warnings")
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("month", .string, .required)
            .field("level", .int64, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "organisation_id", "month", "level")
            .create()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in [
            "billing_warnings", "statement_closures", "vendor_costs", "billing_scopes", "projects", "support_contracts",
            "support_plans", "time_timers",
        ] {
            try await database.schema(table).delete()
        }
        try await sql.delete(from: "counters").where("name", .equal, "project").run()
        try await sql.drop(index: "work_log_ticket_idx").run()
        for column in ["billable", "category"] {
            try await sql.raw("ALTER TABLE work_log DROP COLUMN \(ident: column)").run()
        }
    }
}
