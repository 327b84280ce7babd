import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// The links between tickets (``M031_CreateTicketLinks``).
extension TicketRepository {
    /// A link seen from one of its tickets: the other ticket and whether the link points away from this one.
    public struct SeenLink: Sendable, Equatable {
        public var link: TicketLink
        public var outgoing: Bool
        public var other: UUID { outgoing ? link.targetID : link.ticketID }
    }

    /// The links from and to a ticket, oldest first.
    public func links(of ticketID: UUID) async throws -> [SeenLink] {
        let rows = try await database.sql.select().columns("ticket_id", "kind", "target_id", "created_at")
            .from("ticket_links")
            .where("ticket_id", .equal, ticketID).orWhere("target_id", .equal, ticketID)
            .orderBy("created_at").all()
        return try rows.compactMap { row in
            guard let kind = TicketLinkKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                return nil
            }
            let link = TicketLink(
                ticketID: try row.decode(column: "ticket_id", as: UUID.self),
                kind: kind,
                targetID: try row.decode(column: "target_id", as: UUID.self),
                createdAt: try row.decode(column: "created_at", as: Date.self)
            )
            return SeenLink(link: link, outgoing: link.ticketID == ticketID)
        }
    }

    /// Stores a link; false when it was there already.
    public func addLink(_ link: TicketLink) async throws -> Bool {
        try await database.write { db in try await Self.insertLink(link, on: db as! any SQLDatabase) }
    }

    /// Inserts a link inside a write; false when it was there already.
    static func insertLink(_ link: TicketLink, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.insert(into: "ticket_links").columns("ticket_id", "kind", "target_id", "created_at")
            .values(
                SQLBind(link.ticketID),
                SQLBind(link.kind.rawValue),
                SQLBind(link.targetID),
                SQLBind(link.createdAt)
            )
            .ignoringConflicts(with: ["ticket_id", "kind", "target_id"]).returning("ticket_id").all().count > 0
    }

    /// Removes a link; false when there was none.
    public func removeLink(from ticketID: UUID, kind: TicketLinkKind, to targetID: UUID) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "ticket_links").where("ticket_id", .equal, ticketID)
                .where("kind", .equal, kind.rawValue).where("target_id", .equal, targetID).returning("ticket_id").all()
                .count > 0
        }
    }
}
