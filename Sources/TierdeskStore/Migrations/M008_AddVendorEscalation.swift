import FluentKit

/// What an escalation to a vendor records on the ticket: the vendor's reference and the business impact per hour.
struct M008_AddVendorEscalation: AsyncMigration {
    var name: String { "M008_AddVendorEscalation" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for (column, type) in [
            ("vendor_reference", DatabaseSchema.DataType.string), ("business_impact_amount", .int64),
            ("business_impact_currency", .string),
        ] {
            try await database.schema("tickets")
                .field(.definition(name: .key(.string(column)), dataType: type, constraints: [])).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["vendor_reference", "business_impact_amount", "business_impact_currency"] {
            try await database.schema("tickets").deleteField(.key(.string(column))).update()
        }
    }
}
