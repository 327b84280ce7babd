import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// An alarm that fired, with the ticket it belongs to.
public struct FiredSLAAlarm: Sendable, Equatable {
    public var ticketID: UUID
    public var alarm: SLAAlarm
    public var event: TicketEvent
}

/// SLA alarms: set with every ticket write, fired exactly once by whichever instance claims them first.
///
/// A ticket's alarms live in one `sla_plans` row (JSON) with `next_fire_at`, the earliest pending one.
/// Writers and the timer lock that row (`FOR UPDATE` on PostgreSQL; SQLite has one writer), so a replan
/// always sees what has fired, and an alarm that fired (same clock, level and deadline) is never set again.
public struct SLAAlarmRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// One alarm as stored.
    struct Entry: Codable, Sendable {
        var clock: String
        var level: String
        var due: Double
        var fireAt: Double
        var firedAt: Double?

        init(_ alarm: SLAAlarm) {
            clock = alarm.clock.rawValue
            level = alarm.level.rawValue
            due = alarm.due.timeIntervalSince1970
            fireAt = alarm.fireAt.timeIntervalSince1970
        }

        var alarm: SLAAlarm? {
            guard let clock = SLAClockKind(rawValue: clock), let level = SLAAlarm.Level(rawValue: level) else { return nil }
            return SLAAlarm(clock: clock, level: level, due: Date(timeIntervalSince1970: due), fireAt: Date(timeIntervalSince1970: fireAt))
        }

        /// What identifies an alarm: clock, level and deadline (to the millisecond).
        var key: String { "\(clock) \(level) \(Int64((due * 1000).rounded()))" }
    }

    /// The same JSON `JSONEncoder` would write, built directly: it runs for every new ticket. Clock and
    /// level names are plain identifiers, and `Double`'s description reads back to the same value.
    static func encode(_ entries: [Entry]) -> String {
        var text = "["
        for (index, entry) in entries.enumerated() {
            if index > 0 { text += "," }
            text += #"{"clock":""# + entry.clock + #"","level":""# + entry.level + #"","due":"# + entry.due.description
                + #","fireAt":"# + entry.fireAt.description + #","firedAt":"# + (entry.firedAt?.description ?? "null") + "}"
        }
        return text + "]"
    }

    private static func decode(_ text: String) throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
    }

    private static func nextFire(_ entries: [Entry]) -> Date? {
        entries.filter { $0.firedAt == nil }.map(\.fireAt).min().map { Date(timeIntervalSince1970: $0) }
    }

    private static func lockIfShared(_ select: SQLSelectBuilder, _ sql: any SQLDatabase, skipLocked: Bool = false) {
        if sql.dialect.name == "postgresql" { select.lockingClause(SQLRaw(skipLocked ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE")) }
    }

    /// Replaces a ticket's pending alarms with `alarms`, keeping those that fired.
    static func replacePending(ticketID: UUID, with alarms: [SLAAlarm], on sql: any SQLDatabase) async throws {
        let select = sql.select().column("alarms").from("sla_plans").where("ticket_id", .equal, ticketID)
        lockIfShared(select, sql)
        let stored = try await select.first(decodingColumn: "alarms", as: String.self)
        let fired = try stored.map(decode)?.filter { $0.firedAt != nil } ?? []
        let firedKeys = Set(fired.map(\.key))
        let entries = fired + alarms.map(Entry.init).filter { !firedKeys.contains($0.key) }
        if stored == nil {
            try await insert(rows: [(ticketID, entries)], on: sql)
        } else {
            try await sql.update("sla_plans").set("alarms", to: SQLBind(encode(entries))).set("next_fire_at", to: SQLBind(nextFire(entries)))
                .where("ticket_id", .equal, ticketID).run()
        }
    }

    /// Sets the alarms of new tickets, in one statement.
    static func insert(_ alarms: [(ticketID: UUID, alarms: [SLAAlarm])], on sql: any SQLDatabase) async throws {
        try await insert(rows: alarms.map { ($0.ticketID, $0.alarms.map(Entry.init)) }, on: sql)
    }

    private static func insert(rows: [(UUID, [Entry])], on sql: any SQLDatabase) async throws {
        let rows = rows.filter { !$0.1.isEmpty }
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: "sla_plans").columns("ticket_id", "next_fire_at", "alarms")
        for (ticketID, entries) in rows {
            insert.values(SQLBind(ticketID), SQLBind(nextFire(entries)), SQLBind(encode(entries)))
        }
        try await insert.run()
    }

    /// When the next pending alarm is due, if any.
    public func nextFireAt() async throws -> Date? {
        guard let row = try await database.sql.select().column(SQLFunction("MIN", args: SQLColumn("next_fire_at")), as: "next")
            .from("sla_plans").first(),
            try !row.decodeNil(column: "next")
        else { return nil }
        return try row.decode(column: "next", as: Date.self)
    }

    /// Fires every alarm due at `now` and records its event on the ticket, in the same transaction as the
    /// claim. Several instances may call this at once: locked rows are skipped, so each alarm fires once.
    public func fireDue(at now: Date, limit: Int = 100) async throws -> [FiredSLAAlarm] {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let select = sql.select().columns("ticket_id", "alarms").from("sla_plans")
                .where("next_fire_at", .lessThanOrEqual, now).orderBy("next_fire_at").limit(limit)
            Self.lockIfShared(select, sql, skipLocked: true)
            var fired: [FiredSLAAlarm] = []
            for row in try await select.all() {
                let ticketID = try row.decode(column: "ticket_id", as: UUID.self)
                var entries = try Self.decode(try row.decode(column: "alarms", as: String.self))
                var events: [TicketEvent] = []
                for index in entries.indices where entries[index].firedAt == nil && entries[index].fireAt <= now.timeIntervalSince1970 {
                    entries[index].firedAt = now.timeIntervalSince1970
                    guard let alarm = entries[index].alarm else { continue }
                    let event = TicketEvent(ticketID: ticketID, kind: .slaAlarm, actorID: nil, at: now, field: alarm.clock.rawValue, before: Timestamp.format(alarm.due), after: alarm.level.rawValue)
                    events.append(event)
                    fired.append(FiredSLAAlarm(ticketID: ticketID, alarm: alarm, event: event))
                }
                try await sql.update("sla_plans").set("alarms", to: SQLBind(Self.encode(entries))).set("next_fire_at", to: SQLBind(Self.nextFire(entries)))
                    .where("ticket_id", .equal, ticketID).run()
                if !events.isEmpty { try await TicketRepository.insert(events, on: sql) }
            }
            return fired
        }
    }

    /// Every alarm of a ticket, fired or not, by the time it fires.
    public func alarms(ticketID: UUID) async throws -> [(alarm: SLAAlarm, firedAt: Date?)] {
        guard let text = try await database.sql.select().column("alarms").from("sla_plans").where("ticket_id", .equal, ticketID)
            .first(decodingColumn: "alarms", as: String.self)
        else { return [] }
        return try Self.decode(text)
            .sorted { ($0.fireAt, $0.level == "breach" ? 1 : 0) < ($1.fireAt, $1.level == "breach" ? 1 : 0) }
            .compactMap { entry in entry.alarm.map { ($0, entry.firedAt.map { Date(timeIntervalSince1970: $0) }) } }
    }
}
