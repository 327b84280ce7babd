import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Organisations, vendors, services and people.
struct M001_CreateDirectory: AsyncMigration {
    var name: String { "M001_CreateDirectory" }

    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("name", .string, .required)
            .field("shares_tickets", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await OrganisationModel(
            Organisation(
                id: Organisation.internalID,
                name: "Internal",
                sharesTickets: false,
                createdAt: Date(timeIntervalSince1970: 0)
            )
        )
        .create(on: database)
        try await database.schema("vendors")
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("services")
            .id()
            .field("name", .string, .required)
            .field("support_model", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema("people")
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("roles", .string, .required)
            .field("tier", .string)
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("vendor_id", .uuid, .references("vendors", "id"))
            .field("password_hash", .string)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["people", "services", "vendors", "organisations"] {
            try await database.schema(table).delete()
        }
    }
}
