import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// How much background work waits: the outbox by channel and status, SLA alarms past due, open pages and
/// the writers queued for the database. What `/metrics` reports; each count reads an index.
public struct BacklogRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// The waiting work at one instant.
    public struct Backlog: Sendable, Equatable {
        /// Outbox messages not yet delivered (pending, being sent, or given up on), by channel and status.
        public var outbox: [OutboxMessage.Channel: [OutboxMessage.Status: Int]] = [:]
        /// Tickets with an SLA alarm due at or before the instant and not yet fired.
        public var slaAlarmsDue = 0
        /// Pages not yet resolved, by status.
        public var pages: [OnCallPage.Status: Int] = [:]
    }

    /// The outbox statuses that are work left (a delivered or cancelled message is done).
    public static let undeliveredStatuses: [OutboxMessage.Status] = [.pending, .sending, .dead]

    /// The backlog at `now`.
    public func backlog(at now: Date) async throws -> Backlog {
        var backlog = Backlog()
        let outbox = try await database.sql.select()
            .column("channel").column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("outbox")
            .where("status", .in, Self.undeliveredStatuses.map(\.rawValue))
            .groupBy("channel").groupBy("status")
            .all()
        for row in outbox {
            guard let channel = OutboxMessage.Channel(rawValue: try row.decode(column: "channel", as: String.self)),
                let status = OutboxMessage.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            backlog.outbox[channel, default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        backlog.slaAlarmsDue =
            try await database.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("sla_plans").where("next_fire_at", .lessThanOrEqual, now)
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let pages = try await database.sql.select()
            .column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("pages")
            .where("status", .in, [OnCallPage.Status.triggered, .acknowledged].map(\.rawValue))
            .groupBy("status")
            .all()
        for row in pages {
            guard let status = OnCallPage.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            backlog.pages[status] = try row.decode(column: "n", as: Int.self)
        }
        return backlog
    }
}
