import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// What the live pages read: the changes written since a point in the history, by any instance.
extension TicketRepository {
    /// One change to a ticket: its event's place in the history (`seq`), the ticket's number, what happened
    /// and who did it.
    public struct LiveChange: Sendable, Equatable {
        public var seq: Int64
        public var number: Int
        public var kind: TicketEventKind
        public var actorID: UUID?
    }

    /// The changes written after `seq`, oldest first, at most `limit`: a range of the events' key.
    public func changes(after seq: Int64, limit: Int) async throws -> [LiveChange] {
        try await database.sql.select()
            .column(SQLColumn("seq", table: "e")).column(SQLColumn("number", table: "t"))
            .column(SQLColumn("kind", table: "e")).column(SQLColumn("actor_id", table: "e"))
            .from(SQLAlias(SQLIdentifier("ticket_events"), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("t")),
                on: SQLColumn("id", table: "t"),
                .equal,
                SQLColumn("ticket_id", table: "e")
            )
            .where(SQLColumn("seq", table: "e"), .greaterThan, SQLBind(seq))
            .orderBy(SQLColumn("seq", table: "e")).limit(limit).all()
            .compactMap { row in
                guard let kind = TicketEventKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                    return nil
                }
                return LiveChange(
                    seq: try row.decode(column: "seq", as: Int64.self),
                    number: try row.decode(column: "number", as: Int.self),
                    kind: kind,
                    actorID: try row.decode(column: "actor_id", as: UUID?.self)
                )
            }
    }

    /// The newest event's place in the history, 0 when there is none; of one ticket when `ticketID` is given.
    public func newestEventSeq(ticketID: UUID? = nil) async throws -> Int64 {
        let select = database.sql.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "seq")
            .from("ticket_events")
        if let ticketID { select.where("ticket_id", .equal, ticketID) }
        return try await select.first(decodingColumn: "seq", as: Int64?.self).flatMap { $0 } ?? 0
    }

    /// A ticket's events written after `seq`, oldest first.
    public func events(ticketID: UUID, after seq: Int64, includeInternal: Bool) async throws -> [TicketEvent] {
        let select = database.sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) }).from("ticket_events")
            .where("ticket_id", .equal, ticketID).where("seq", .greaterThan, SQLBind(seq))
        if !includeInternal { select.where("internal", .equal, false) }
        return try await select.orderBy("seq").all(decoding: TicketEventRow.self, with: Self.decoder).map(\.domain)
    }
}
