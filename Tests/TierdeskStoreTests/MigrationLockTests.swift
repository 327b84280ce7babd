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
        // Each start's outcome is kept, so every database that opened is shut down even if another failed.
        let outcomes = await withTaskGroup(of: Result<TierdeskDatabase, any Error>.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        return .success(try await TierdeskDatabase.open(location, logger: StoreFixture.logger))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: [Result<TierdeskDatabase, any Error>]()) { $0.append($1) }
        }
        let databases = outcomes.compactMap { try? $0.get() }
        for case .failure(let error) in outcomes { Issue.record("an instance failed to start: \(error)") }
        #expect(databases.count == 3)
        do {
            if let first = databases.first {
                #expect(try await TicketRepository(first).highestNumber() == 1000)
                try await first.dropSchema()
            }
        } catch {
            Issue.record("reading the migrated schema failed: \(error)")
        }
        for database in databases { await database.shutdown() }
    }
}
