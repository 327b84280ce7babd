import FluentKit
import SQLKit

/// Queues that cost the same at any table size: partial indexes over open tickets only, in the order each
/// queue reads them (by next deadline within all, a tier, a group or an owner; by number within a tier for
/// the API's newest-first lists, and within an owner for the triage board's oldest-first list). They replace
/// the index on `next_deadline` over every ticket, which the queue could not use with its other filters.
struct M022_IndexOpenQueues: AsyncMigration {
    var name: String { "M022_IndexOpenQueues" }

    /// The indexes' condition; a query must state it in these words for the planners to use them
    /// (``TicketRepository/openTerm``).
    static let open = "status NOT IN ('resolved', 'closed')"

    static let indexes: [(name: String, columns: String)] = [
        ("tickets_open_deadline_idx", "next_deadline, number"),
        ("tickets_open_tier_deadline_idx", "tier, next_deadline, number"),
        ("tickets_open_group_deadline_idx", "group_name, next_deadline, number"),
        ("tickets_open_owner_deadline_idx", "owner_id, next_deadline, number"),
        ("tickets_open_tier_number_idx", "tier, number"),
        ("tickets_open_owner_number_idx", "owner_id, number"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, columns) in Self.indexes {
            try await sql.raw(
                SQLQueryString(
                    "CREATE INDEX \(unsafeRaw: name) ON tickets (\(unsafeRaw: columns)) WHERE \(unsafeRaw: Self.open)"
                )
            )
            .run()
        }
        try await sql.drop(index: "tickets_next_deadline_idx").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "tickets_next_deadline_idx").on("tickets").column("next_deadline").run()
        for (name, _) in Self.indexes { try await sql.drop(index: name).run() }
    }
}
