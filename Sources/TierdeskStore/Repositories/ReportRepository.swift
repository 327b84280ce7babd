import Foundation
import SQLKit
import TierdeskCore

/// The reads behind the reports: the tickets a stretch of time touched with the events the figures use,
/// and when each Known Error Database article was written.
public struct ReportRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// A ticket with the events of its history that reports read, oldest first.
    public struct History: Sendable {
        public var ticket: Ticket
        public var events: [TicketEvent]
    }

    /// Event kinds the reports read; a severity change is a field change and is read too.
    static let kinds: [TicketEventKind] = [
        .statusChanged, .publicReply, .escalated, .deescalated, .tierChanged, .knownErrorApplied, .dataCorrection,
        .slaAlarm,
    ]

    /// Tickets read per query of their events.
    static let batch = 500

    /// The tickets opened before `window` ends that were still open or changed during it: every ticket a
    /// figure of the window can count.
    public func histories(touching window: Range<Date>) async throws -> [History] {
        let sql = database.sql
        let tickets = try await sql.select().columns(TicketRow.columns.map { SQLColumn($0) }).from("tickets")
            .where("created_at", .lessThan, SQLBind(window.upperBound))
            .where {
                $0.where("status", .notIn, [TicketStatus.resolved.rawValue, TicketStatus.closed.rawValue])
                    .orWhere("updated_at", .greaterThanOrEqual, SQLBind(window.lowerBound))
            }
            .all(decoding: TicketRow.self, with: TicketRepository.decoder).map(\.domain)
        var events: [UUID: [TicketEvent]] = [:]
        var start = 0
        while start < tickets.count {
            let ids = tickets[start..<min(start + Self.batch, tickets.count)].map(\.id)
            start += Self.batch
            let rows = try await sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) })
                .from("ticket_events")
                .where("ticket_id", .in, ids)
                .where {
                    $0.where("kind", .in, Self.kinds.map(\.rawValue))
                        .orWhere {
                            $0.where("kind", .equal, TicketEventKind.fieldChanged.rawValue)
                                .where("field", .equal, "severity")
                        }
                }
                .orderBy("seq")
                .all(decoding: TicketEventRow.self, with: TicketRepository.decoder)
            for row in rows { events[row.ticketId, default: []].append(row.domain) }
        }
        return tickets.map { History(ticket: $0, events: events[$0.id] ?? []) }
    }

    /// When each Known Error Database article was written.
    public func knownErrorsCreated() async throws -> [UUID: Date] {
        let rows = try await database.sql.select().column("id").column("created_at").from("known_errors").all()
        var created: [UUID: Date] = [:]
        for row in rows {
            created[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "created_at", as: Date.self)
        }
        return created
    }
}
