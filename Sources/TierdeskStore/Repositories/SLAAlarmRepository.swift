import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// A row of `sla_alarms`.
struct SLAAlarmRow: Codable, Sendable {
    var id: UUID
    var ticketId: UUID
    var clock: String
    var level: String
    var dueAt: Date
    var fireAt: Date
    var firedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, ticketId = "ticket_id", clock, level, dueAt = "due_at", fireAt = "fire_at", firedAt = "fired_at"
    }
}

/// An alarm that fired, with the ticket it belongs to.
public struct FiredSLAAlarm: Sendable, Equatable {
    public var ticketID: UUID
    public var alarm: SLAAlarm
    public var event: TicketEvent
}

/// SLA alarms: set with every ticket write, fired exactly once by whichever instance claims them first.
public struct SLAAlarmRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Replaces a ticket's pending alarms with `alarms`. An alarm that already fired is not set again.
    static func replacePending(ticketID: UUID, with alarms: [SLAAlarm], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "sla_alarms").where("ticket_id", .equal, ticketID).where("fired_at", .is, SQLLiteral.null).run()
        try await insert([(ticketID, alarms)], on: sql)
    }

    /// Sets the alarms of new tickets, in one statement.
    static func insert(_ alarms: [(ticketID: UUID, alarms: [SLAAlarm])], on sql: any SQLDatabase) async throws {
        guard alarms.contains(where: { !$0.alarms.isEmpty }) else { return }
        // Bound directly rather than encoded row by row: this runs for every batch of new tickets.
        let insert = sql.insert(into: "sla_alarms").columns("id", "ticket_id", "clock", "level", "due_at", "fire_at")
        for (ticketID, planned) in alarms {
            for alarm in planned {
                insert.values(SQLBind(UUID()), SQLBind(ticketID), SQLBind(alarm.clock.rawValue), SQLBind(alarm.level.rawValue), SQLBind(alarm.due), SQLBind(alarm.fireAt))
            }
        }
        try await insert.ignoringConflicts().run()
    }

    /// When the next pending alarm is due, if any.
    public func nextFireAt() async throws -> Date? {
        guard let row = try await database.sql.select().column(SQLFunction("MIN", args: SQLColumn("fire_at")), as: "next")
            .from("sla_alarms").where("fired_at", .is, SQLLiteral.null).first(),
            try !row.decodeNil(column: "next")
        else { return nil }
        return try row.decode(column: "next", as: Date.self)
    }

    /// Claims every alarm due at `now` and records its event on the ticket, each in the same transaction
    /// as its claim. Several instances may call this at once: each alarm is claimed by exactly one.
    public func fireDue(at now: Date, limit: Int = 100) async throws -> [FiredSLAAlarm] {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let select = sql.select().columns(SLAAlarmRow.CodingKeys.allCases.map { SQLColumn($0.rawValue) })
                .from("sla_alarms").where("fired_at", .is, SQLLiteral.null).where("fire_at", .lessThanOrEqual, now)
                .orderBy("fire_at").limit(limit)
            if sql.dialect.name == "postgresql" { select.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
            let due = try await select.all(decoding: SLAAlarmRow.self, with: TicketRepository.decoder)
            var fired: [FiredSLAAlarm] = []
            for row in due {
                let claimed = try await sql.update("sla_alarms").set("fired_at", to: SQLBind(now))
                    .where("id", .equal, row.id).where("fired_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard !claimed.isEmpty, let clock = SLAClockKind(rawValue: row.clock), let level = SLAAlarm.Level(rawValue: row.level) else { continue }
                let event = TicketEvent(ticketID: row.ticketId, kind: .slaAlarm, actorID: nil, at: now, field: clock.rawValue, before: Timestamp.format(row.dueAt), after: level.rawValue)
                try await TicketRepository.insert([event], on: sql)
                fired.append(FiredSLAAlarm(ticketID: row.ticketId, alarm: SLAAlarm(clock: clock, level: level, due: row.dueAt, fireAt: row.fireAt), event: event))
            }
            return fired
        }
    }

    /// Every alarm of a ticket, fired or not, by the time it fires.
    public func alarms(ticketID: UUID) async throws -> [(alarm: SLAAlarm, firedAt: Date?)] {
        try await database.sql.select().columns(SLAAlarmRow.CodingKeys.allCases.map { SQLColumn($0.rawValue) })
            .from("sla_alarms").where("ticket_id", .equal, ticketID).orderBy("fire_at").orderBy("level")
            .all(decoding: SLAAlarmRow.self, with: TicketRepository.decoder)
            .compactMap { row in
                guard let clock = SLAClockKind(rawValue: row.clock), let level = SLAAlarm.Level(rawValue: row.level) else { return nil }
                return (SLAAlarm(clock: clock, level: level, due: row.dueAt, fireAt: row.fireAt), row.firedAt)
            }
    }
}

extension SLAAlarmRow.CodingKeys: CaseIterable {}
