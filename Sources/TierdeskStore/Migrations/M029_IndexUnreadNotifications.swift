import FluentKit
import SQLKit

/// A partial index on each person's unread notifications, so the count in every console page's header reads
/// only those, however many read ones a person has gathered.
struct M029_IndexUnreadNotifications: AsyncMigration {
    var name: String { "M029_IndexUnreadNotifications" }

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase)
            .raw("CREATE INDEX notifications_unread_idx ON notifications (person_id) WHERE read_at IS NULL").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX notifications_unread_idx").run()
    }
}
