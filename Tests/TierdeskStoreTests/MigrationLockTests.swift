import Foundation
import Logging
import Testing

@testable import TierdeskStore

/// Instances that start together on one PostgreSQL database migrate one after the other (an advisory
/// lock held by one connection), instead of racing to create the same tables. SQLite has one process per
/// file, so this runs on PostgreSQL only (TIERDESK_TEST_DATABASE_URL).
struct MigrationLockTests {
    @Test func instancesStartingTogetherOnAnEmptySchemaAllMigrate() async throws {
        guard let url = ProcessInfo.processInfo.environment["TIERDESK_TEST_DATABASE_URL"], !url.isEmpty,
            case .postgres(let server, _) = try DatabaseLocation(url: url)
        else { return }
        let schema = "td_lock_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let location = DatabaseLocation.postgres(url: server, schema: String(schema))
        let databases = try await withThrowingTaskGroup(of: TierdeskDatabase.self) { group in
            for _ in 0..<3 {
                group.addTask { try await TierdeskDatabase.open(location, logger: StoreFixture.logger) }
            }
            return try await group.reduce(into: [TierdeskDatabase]()) { $0.append($1) }
        }
        #expect(databases.count == 3)
        #expect(try await TicketRepository(databases[0]).highestNumber() == 1000)
        try await databases[0].dropSchema()
        for database in databases { await database.shutdown() }
    }
}
