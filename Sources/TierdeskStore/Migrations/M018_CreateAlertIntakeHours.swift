import FluentKit

/// Alert tickets opened per clock hour: the storm limit adds to one row per batch instead of counting the
/// hour's alert tickets.
struct M018_CreateAlertIntakeHours: AsyncMigration {
    var name: String { "M018_CreateAlertIntakeHours" }

    func prepare(on database: any Database) async throws {
        try await database.schema("alert_intake_hours")
            .field("hour", .int64, .identifier(auto: false))
            .field("opened", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("alert_intake_hours").delete()
    }
}
