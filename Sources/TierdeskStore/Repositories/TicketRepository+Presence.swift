import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Who has a ticket open (``M032_CreateTicketPresence``).
extension TicketRepository {
    /// Records that `personID` has the ticket open, doing `state`, at `now`; returns everyone else seen on it
    /// within ``TicketPresence/lifetime``, most recent first.
    public func markPresence(
        ticketID: UUID,
        personID: UUID,
        state: TicketPresence.State,
        at now: Date
    ) async throws -> [TicketPresence] {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.insert(into: "ticket_presence").columns("ticket_id", "person_id", "state", "seen_at")
                .values(SQLBind(ticketID), SQLBind(personID), SQLBind(state.rawValue), SQLBind(now))
                .onConflict(with: ["ticket_id", "person_id"]) {
                    $0.set(excludedValueOf: "state").set(excludedValueOf: "seen_at")
                }
                .run()
            // Rows nobody refreshed for a while go, so the table holds open pages only.
            try await sql.delete(from: "ticket_presence")
                .where("seen_at", .lessThan, SQLBind(now.addingTimeInterval(-10 * TicketPresence.lifetime))).run()
            return try await sql.select().columns("person_id", "state", "seen_at").from("ticket_presence")
                .where("ticket_id", .equal, ticketID).where("person_id", .notEqual, SQLBind(personID))
                .where("seen_at", .greaterThan, SQLBind(now.addingTimeInterval(-TicketPresence.lifetime)))
                .orderBy("seen_at", .descending).all()
                .compactMap { row in
                    guard let state = TicketPresence.State(rawValue: try row.decode(column: "state", as: String.self))
                    else { return nil }
                    return TicketPresence(
                        personID: try row.decode(column: "person_id", as: UUID.self),
                        state: state,
                        seenAt: try row.decode(column: "seen_at", as: Date.self)
                    )
                }
        }
    }
}
