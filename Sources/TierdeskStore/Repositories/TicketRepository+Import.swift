import FluentKit
import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// A ticket with its whole history, as it happened elsewhere or in a generated data set.
    public struct History: Sendable {
        public var ticket: Ticket
        public var events: [TicketEvent]

        public init(ticket: Ticket, events: [TicketEvent]) {
            self.ticket = ticket
            self.events = events
        }
    }

    /// Stores histories as they happened, in one transaction: ticket rows and events with their own
    /// numbers, instants and authors, in few large inserts (values bound directly). Nothing is mailed, paged, sent or planned (the
    /// deadlines and alarms of open tickets come from ``replanOpenTickets(planner:)``); the reference counter
    /// moves past the highest number stored.
    public func importHistories(_ histories: [History]) async throws {
        guard !histories.isEmpty else { return }
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.insert(histories.map { TicketRow($0.ticket) }, on: sql)
            try await Self.insert(histories.flatMap(\.events).map(TicketEventRow.init), on: sql)
            let highest = histories.map(\.ticket.number).max()!
            try await sql.update("counters").set("value", to: SQLBind(highest)).where("name", .equal, "ticket")
                .where("value", .lessThan, SQLBind(highest)).run()
        }
        database.ticketCache?.removeAll()
    }
}
