import Foundation
import Logging
import SQLKit
import Testing
import TierdeskCore

@testable import TierdeskServer
@testable import TierdeskStore

/// Upgrades from every earlier schema version, with data: the demo desk is loaded, the schema taken back to
/// each earlier version (keeping the data that version holds), and migrated forward again. Nothing that
/// version held may be lost, and what later versions derive from it (the search index) must be there.
struct SchemaUpgradeTests {
    /// The tables that hold the desk's records, counted where they exist.
    static let tables = DatabaseBackup.tables + ["ticket_search", "support_groups", "sla_plans", "known_errors"]

    static func counts(_ database: TierdeskDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            // A table a version lacks answers with an error.
            if let rows = try? await database.sql.select()
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .first(decodingColumn: "n", as: Int.self)
            {
                counts[table] = rows
            }
        }
        return counts
    }

    @Test func theDemoDeskUpgradesFromEveryEarlierSchemaVersionWithNothingLost() async throws {
        var logger = Logger(label: "tierdesk-upgrade-tests")
        logger.logLevel = .warning
        try await ScratchDatabase.with(logger: logger) { database in
            let components = try await ServerFixture.components(
                database: database,
                clock: FixedClock(ServerFixture.t0),
                logger: logger
            )
            #expect(try await DemoData.loadIfEmpty(components))
            let names = TierdeskDatabase.migrations.map(\.name)
            let latest = try await DatabaseBackup(database).summary()
            for kept in stride(from: names.count - 1, through: 1, by: -1) {
                do {
                    try await database.revertMigrations(keeping: kept)
                } catch {
                    Issue.record("going back to \(names[kept - 1]): \(String(reflecting: error))")
                    return
                }
                #expect(try await database.pendingMigrations() == Array(names[kept...]))
                let before = try await Self.counts(database)
                do {
                    try await database.migrate()
                } catch {
                    Issue.record("upgrading from \(names[kept - 1]): \(String(reflecting: error))")
                    return
                }
                #expect(try await database.pendingMigrations().isEmpty)
                let after = try await Self.counts(database)
                let version = names[kept - 1]
                for (table, rows) in before where table != "ticket_search" {
                    #expect(after[table] == rows, "\(table) after upgrading from \(version)")
                }
                guard before["tickets"] != nil else { continue }  // the first version held people only
                #expect(
                    try await DatabaseBackup(database).summary().eventChecksum == latest.eventChecksum,
                    "every event as it was after \(version)"
                )
                // The desk works on the upgraded schema: demo tickets are found by a word of their titles.
                #expect(after["ticket_search"] == after["tickets"], "every ticket searchable after \(version)")
                var query = TicketQuery()
                query.text = "scanner"
                query.limit = 5
                #expect(!(try await components.tickets.list(query, visibility: .all)).isEmpty, "after \(version)")
            }
        }
    }
}
