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

    /// The reports' projection in the same database.
    public var projection: ReportProjection { ReportProjection(database) }

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
    /// figure of the window can count, narrowed by `filter` (each field a ticket's current value).
    public func histories(touching window: Range<Date>, filter: ReportFilter = ReportFilter()) async throws
        -> [History]
    {
        let sql = database.sql
        let select = sql.select().columns(TicketRow.columns.map { SQLColumn($0) }).from("tickets")
            .where("created_at", .lessThan, SQLBind(window.upperBound))
            .where {
                $0.where("status", .notIn, [TicketStatus.resolved.rawValue, TicketStatus.closed.rawValue])
                    .orWhere("updated_at", .greaterThanOrEqual, SQLBind(window.lowerBound))
            }
        if let id = filter.organisationID { select.where("organisation_id", .equal, SQLBind(id)) }
        if let id = filter.serviceID { select.where("service_id", .equal, SQLBind(id)) }
        if let group = filter.group { select.where("group_name", .equal, SQLBind(group)) }
        if let tier = filter.tier { select.where("tier", .equal, SQLBind(tier.rawValue)) }
        if let priority = filter.priority { select.where("priority", .equal, SQLBind(priority.rawValue)) }
        if let severity = filter.severity { select.where("severity", .equal, SQLBind(severity.rawValue)) }
        if let channel = filter.channel { select.where("channel", .equal, SQLBind(channel.rawValue)) }
        let tickets = try await select.all(decoding: TicketRow.self, with: TicketRepository.decoder).map(\.domain)
        let events = try await Self.events(of: tickets.map(\.id), on: sql)
        return tickets.map { History(ticket: $0, events: events[$0.id] ?? []) }
    }

    /// The tickets `ids` (those still stored) with their histories, in the order given.
    public func histories(of ids: [UUID]) async throws -> [History] {
        try await Self.histories(of: ids, on: database.sql)
    }

    /// The tickets `ids` (those still stored) with their histories, in the order given; also inside a
    /// transaction.
    static func histories(of ids: [UUID], on sql: any SQLDatabase) async throws -> [History] {
        guard !ids.isEmpty else { return [] }
        let tickets = Dictionary(
            uniqueKeysWithValues: try await sql.select().columns(TicketRow.columns.map { SQLColumn($0) })
                .from("tickets").where("id", .in, ids)
                .all(decoding: TicketRow.self, with: TicketRepository.decoder).map { ($0.id, $0.domain) }
        )
        let events = try await Self.events(of: ids, on: sql)
        return ids.compactMap { id in tickets[id].map { History(ticket: $0, events: events[id] ?? []) } }
    }

    /// The events reports read of each of `ids`, oldest first.
    static func events(of ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [TicketEvent]] {
        var events: [UUID: [TicketEvent]] = [:]
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(start + Self.batch, ids.count)])
            start += Self.batch
            let rows = try await sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) })
                .from("ticket_events")
                .where("ticket_id", .in, batch)
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
        return events
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
