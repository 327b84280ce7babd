import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// An alarm that fired, with the ticket it belongs to.
public struct FiredSLAAlarm: Sendable, Equatable {
    public var ticketID: UUID
    public var alarm: SLAAlarm
    /// The alarm's event in the ticket's history.
    public var event: TicketEvent
    /// The people notified about it.
    public var notified: [UUID]
}

/// SLA alarms: set with every ticket write, fired exactly once by whichever instance claims them first,
/// and escalated as the ticket's policy says in the same transaction as the claim.
///
/// A ticket's alarms live in one `sla_plans` row (JSON) with `next_fire_at`, the earliest pending one, and
/// the one-off escalation actions already taken. Writers lock the ticket and then this row; the timer
/// claims both at once and skips rows another transaction holds, so neither waits on the other, a replan
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
            guard let clock = SLAClockKind(rawValue: clock), let level = SLAAlarm.Level(rawValue: level) else {
                return nil
            }
            return SLAAlarm(
                clock: clock,
                level: level,
                due: Date(timeIntervalSince1970: due),
                fireAt: Date(timeIntervalSince1970: fireAt)
            )
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
            text +=
                #"{"clock":""# + entry.clock + #"","level":""# + entry.level + #"","due":"# + entry.due.description
                + #","fireAt":"# + entry.fireAt.description + #","firedAt":"# + (entry.firedAt?.description ?? "null")
                + "}"
        }
        return text + "]"
    }

    static func decode(_ text: String) throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
    }

    static func nextFire(_ entries: [Entry]) -> Date? {
        entries.filter { $0.firedAt == nil }.map(\.fireAt).min().map { Date(timeIntervalSince1970: $0) }
    }

    private static func lockIfShared(_ select: SQLSelectBuilder, _ sql: any SQLDatabase) {
        select.lockedForUpdate(on: sql.engine)
    }

    /// Replaces a ticket's pending alarms with `alarms`, keeping those that fired.
    static func replacePending(ticketID: UUID, with alarms: [SLAAlarm], on sql: any SQLDatabase) async throws {
        let select = sql.select().column("alarms").from("sla_plans").where("ticket_id", .equal, ticketID)
        lockIfShared(select, sql)
        let stored = try await select.first(decodingColumn: "alarms", as: String.self)
        let entries = merge(try stored.map(decode) ?? [], with: alarms)
        if stored == nil {
            try await insert(rows: [(ticketID, entries)], on: sql)
        } else {
            try await sql.update("sla_plans").set("alarms", to: SQLBind(encode(entries)))
                .set("next_fire_at", to: SQLBind(nextFire(entries)))
                .where("ticket_id", .equal, ticketID).run()
        }
    }

    /// Whether stored alarms (as ``encode(_:)`` writes them) hold one that fired, without decoding them.
    static func hasFired(_ text: String) -> Bool {
        var rest = Substring(text)
        while let found = rest.range(of: #""firedAt":"#) {
            rest = rest[found.upperBound...]
            if !rest.hasPrefix("null") { return true }
        }
        return false
    }

    /// The fired entries of `stored` and the new pending `alarms`, leaving out any that already fired.
    static func merge(_ stored: [Entry], with alarms: [SLAAlarm]) -> [Entry] {
        let fired = stored.filter { $0.firedAt != nil }
        let firedKeys = Set(fired.map(\.key))
        return fired + alarms.map(Entry.init).filter { !firedKeys.contains($0.key) }
    }

    /// Sets the alarms of new tickets, in one statement.
    static func insert(_ alarms: [(ticketID: UUID, alarms: [SLAAlarm])], on sql: any SQLDatabase) async throws {
        try await insert(rows: alarms.map { ($0.ticketID, $0.alarms.map(Entry.init)) }, on: sql)
    }

    /// Sets the alarms of an imported ticket: those due to fire before `now` count as fired at `now`, silently
    /// (their moment belongs to the other desk's past), so only alarms still ahead fire and notify.
    static func insertImported(ticketID: UUID, alarms: [SLAAlarm], passedAt now: Date, on sql: any SQLDatabase)
        async throws
    {
        let entries = alarms.map { alarm in
            var entry = Entry(alarm)
            if alarm.fireAt <= now { entry.firedAt = now.timeIntervalSince1970 }
            return entry
        }
        try await insert(rows: [(ticketID, entries)], on: sql)
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

    /// A plan's alarms as stored: the JSON text and when the next pending one is due.
    struct Encoded {
        var alarms: String
        var nextFireAt: Date?

        init(_ entries: [Entry]) {
            alarms = SLAAlarmRepository.encode(entries)
            nextFireAt = SLAAlarmRepository.nextFire(entries)
        }
    }

    /// Writes the alarms of many tickets, replacing their rows' alarms (the escalations taken stay).
    static func upsert(_ plans: [(UUID, Encoded)], on sql: any SQLDatabase) async throws {
        guard !plans.isEmpty else { return }
        let insert = sql.insert(into: "sla_plans").columns("ticket_id", "next_fire_at", "alarms")
        for (ticketID, plan) in plans {
            insert.values(SQLBind(ticketID), SQLBind(plan.nextFireAt), SQLBind(plan.alarms))
        }
        try await insert.onConflict(with: ["ticket_id"]) {
            $0.set(excludedValueOf: "next_fire_at").set(excludedValueOf: "alarms")
        }
        .run()
    }

    /// When the next pending alarm is due, if any.
    public func nextFireAt() async throws -> Date? {
        guard
            let row = try await database.sql.select()
                .column(SQLFunction("MIN", args: SQLColumn("next_fire_at")), as: "next")
                .from("sla_plans").first(),
            try !row.decodeNil(column: "next")
        else { return nil }
        return try row.decode(column: "next", as: Date.self)
    }

    /// The claim query up to its parameter: due plans with their tickets.
    private static let dueSelect: String = {
        let columns = TicketRow.columns.map { "t.\"\($0)\"" }.joined(separator: ", ")
        return
            "SELECT p.\"alarms\", p.\"escalations\", \(columns) FROM \"sla_plans\" p JOIN \"tickets\" t ON t.\"id\" = p.\"ticket_id\" WHERE p.\"next_fire_at\" <= "
    }()

    /// Fires every alarm due at `now`: records its event, escalates as the ticket's policy says (notifications,
    /// a raised priority, a new owner), replans a changed ticket and queues what the change causes (a new
    /// owner hears of it), all in the transaction that claims it. Several instances may call this at once:
    /// rows another transaction holds are skipped, so each alarm fires once.
    public func fireDue(at now: Date, limit: Int = 100, effects: TicketWriteEffects) async throws -> [FiredSLAAlarm] {
        let contacts = try await Self.contacts(in: database)
        let planner = effects.planner
        let (fired, changed, queued) = try await database.write { db in
            let sql = db as! any SQLDatabase
            var query = SQLQueryString(Self.dueSelect)
            query.appendInterpolation(bind: now)
            query.appendLiteral(" ORDER BY p.\"next_fire_at\" LIMIT ")
            query.appendInterpolation(literal: limit)
            query.appendLiteral(sql.engine.skipLockedClause)
            var fired: [FiredSLAAlarm] = []
            var changed: [Int] = []
            var events: [TicketEvent] = []
            var notifications: [TierdeskCore.Notification] = []
            var severities: [UUID: Severity] = [:]
            var writes: [TicketWriteEffects.Write] = []
            for row in try await sql.raw(query).all() {
                let stored = try row.decode(model: TicketRow.self, with: TicketRepository.decoder).domain
                var ticket = stored
                var entries = try Self.decode(try row.decode(column: "alarms", as: String.self))
                var taken = Set(
                    try JSONDecoder()
                        .decode([String].self, from: Data(try row.decode(column: "escalations", as: String.self).utf8))
                )
                var ticketEvents: [TicketEvent] = []
                let due = entries.indices
                    .filter { entries[$0].firedAt == nil && entries[$0].fireAt <= now.timeIntervalSince1970 }
                    .sorted {
                        (entries[$0].fireAt, entries[$0].level == "breach" ? 1 : 0) < (
                            entries[$1].fireAt, entries[$1].level == "breach" ? 1 : 0
                        )
                    }
                for index in due {
                    entries[index].firedAt = now.timeIntervalSince1970
                    guard let alarm = entries[index].alarm else { continue }
                    let actions = planner.escalation(for: ticket, at: alarm.level)
                    let outcome = SLAEscalation.escalate(
                        ticket,
                        alarm: alarm,
                        actions: actions,
                        contacts: contacts.for(ticket),
                        alreadyTaken: taken,
                        at: now
                    )
                    // Notifications describe the ticket as it was when the alarm fired.
                    notifications += outcome.recipients.map { [ticket] in
                        Notification.about(alarm, on: ticket, to: $0, at: now)
                    }
                    severities[ticket.id] = ticket.severity
                    ticket = outcome.ticket
                    taken.formUnion(outcome.taken)
                    ticketEvents += outcome.events
                    fired.append(
                        FiredSLAAlarm(
                            ticketID: ticket.id,
                            alarm: alarm,
                            event: outcome.events[0],
                            notified: outcome.recipients
                        )
                    )
                }
                if ticket != stored {
                    let history =
                        try await TicketRepository.events(ticketID: ticket.id, includeInternal: true, on: sql)
                        + ticketEvents
                    let plan = planner.plan(for: ticket, history: history)
                    ticket.nextDeadline = plan.nextDeadline
                    entries = Self.merge(entries, with: plan.alarms)
                    try await sql.update("tickets").set(model: TicketRow(ticket), with: TicketRepository.encoder)
                        .where("id", .equal, ticket.id).where("version", .equal, stored.version).run()
                    changed.append(ticket.number)
                    writes.append(.init(ticket: ticket, events: ticketEvents, extras: .none))
                }
                try await sql.update("sla_plans").set("alarms", to: SQLBind(Self.encode(entries)))
                    .set("next_fire_at", to: SQLBind(Self.nextFire(entries)))
                    .set(
                        "escalations",
                        to: SQLBind(String(decoding: try JSONEncoder().encode(taken.sorted()), as: UTF8.self))
                    )
                    .where("ticket_id", .equal, ticket.id).run()
                events += ticketEvents
            }
            if !events.isEmpty { try await TicketRepository.insert(events, on: sql) }
            try await NotificationRepository.insert(notifications, on: sql)
            let leaving = try await NotificationOutbox(mail: effects.mail)
                .messages(for: notifications, severities: severities, at: now, on: sql)
            try await OutboxRepository.insert(leaving, on: sql)
            let queued = try await effects.enqueue(writes, on: sql)
            return (fired, changed, queued || !leaving.isEmpty)
        }
        for number in changed { database.ticketCache?.remove(number) }
        if queued { effects.queued() }
        return fired
    }

    /// Group leads and managers, as escalation needs them; inactive people are left out.
    struct Contacts {
        var leads: [String: UUID]
        var managers: [UUID]

        func `for`(_ ticket: Ticket) -> SLAEscalationContacts {
            SLAEscalationContacts(groupLead: ticket.group.flatMap { leads[$0] }, managers: managers)
        }
    }

    static func contacts(in database: TierdeskDatabase) async throws -> Contacts {
        let directory = DirectoryRepository(database)
        let groups = try await SupportGroupRepository(database).all()
        let activeLeads = Set(
            try await directory.people(ids: Set(groups.compactMap(\.leadID))).filter(\.active).map(\.id)
        )
        var byGroup: [String: UUID] = [:]
        for group in groups { if let lead = group.leadID, activeLeads.contains(lead) { byGroup[group.name] = lead } }
        let managers = try await directory.people(role: .manager).filter { $0.active && $0.roles.contains(.manager) }
            .map(\.id)
        return Contacts(leads: byGroup, managers: managers)
    }

    /// Every alarm of a ticket, fired or not, by the time it fires.
    public func alarms(ticketID: UUID) async throws -> [(alarm: SLAAlarm, firedAt: Date?)] {
        guard
            let text = try await database.sql.select().column("alarms").from("sla_plans")
                .where("ticket_id", .equal, ticketID)
                .first(decodingColumn: "alarms", as: String.self)
        else { return [] }
        return try Self.decode(text)
            .sorted { ($0.fireAt, $0.level == "breach" ? 1 : 0) < ($1.fireAt, $1.level == "breach" ? 1 : 0) }
            .compactMap { entry in entry.alarm.map { ($0, entry.firedAt.map { Date(timeIntervalSince1970: $0) }) } }
    }
}
