import FluentKit
import SQLKit

/// The requester index gains the creation time, so "tickets this sender opened in the last hour" (the
/// per-sender limit on new tickets) reads a short range of the index instead of every ticket of the sender.
/// It replaces the old one-column index, which it covers, so writes keep the same number of indexes.
struct M017_IndexRequesterCreation: AsyncMigration {
    var name: String { "M017_IndexRequesterCreation" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "tickets_requester_created_idx").on("tickets").column("requester_id")
            .column("created_at").run()
        try await sql.drop(index: "tickets_requester_idx").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "tickets_requester_idx").on("tickets").column("requester_id").run()
        try await sql.drop(index: "tickets_requester_created_idx").run()
    }
}
