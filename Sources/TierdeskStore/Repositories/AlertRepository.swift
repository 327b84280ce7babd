import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Alert keys and their tickets. A request's signals are applied in one transaction while it holds its
/// keys (a lock per key on PostgreSQL, the one writer on SQLite), so two deliveries of a new alert, on
/// one instance or several, open one ticket.
public struct AlertRepository: Sendable {
    let database: TierdeskDatabase
    /// Opens and changes the alerts' tickets, with their deadlines and mail.
    let tickets: TicketRepository

    public init(_ database: TierdeskDatabase, tickets: TicketRepository) {
        self.database = database
        self.tickets = tickets
    }

    /// What one signal did.
    public struct Outcome: Sendable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case opened, repeated, refired, acknowledged, resolved, remembered, ignored
        }

        public var key: String
        public var kind: Kind
        public var ticketNumber: Int?
        public var reason: String?
    }

    /// Applies the signals in order of arrival per key, all in one transaction.
    public func ingest(_ signals: [AlertSignal], with ticketing: AlertTicketing) async throws -> [Outcome] {
        let (outcomes, mailed, touched) = try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.lockKeys(of: signals, on: sql)
            var outcomes: [Outcome] = []
            var mailed = false
            var touched: [Int] = []
            for signal in signals {
                let (outcome, mail) = try await self.apply(signal, with: ticketing, on: sql)
                outcomes.append(outcome)
                mailed = mailed || mail
                if let number = outcome.ticketNumber, outcome.kind != .repeated, outcome.kind != .ignored { touched.append(number) }
            }
            return (outcomes, mailed, touched)
        }
        for number in touched { database.ticketCache?.remove(number) }
        if mailed { tickets.mailer?.queued() }
        return outcomes
    }

    /// On PostgreSQL, takes a transaction lock on every key first, in one global order, so that requests
    /// for the same keys take turns and never wait on each other in a circle; the ticket counter, which
    /// opening a ticket locks, comes after. SQLite's one writer needs nothing.
    static func lockKeys(of signals: [AlertSignal], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        let locks = Set(signals.map { Int64(bitPattern: FNV.digest("\($0.source.rawValue)\u{1}\($0.key)")) }).sorted()
        for lock in locks {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lock))").run()
        }
    }

    private func apply(_ signal: AlertSignal, with ticketing: AlertTicketing, on sql: any SQLDatabase) async throws -> (Outcome, Bool) {
        let now = ticketing.now
        let state = try await Self.state(source: signal.source, key: signal.key, on: sql)
        let decision = AlertDecision.decide(signal, state: state)
        if state == nil, decision == .open || decision == .rememberResolved {
            try await sql.insert(into: "alerts")
                .columns("source", "alert_key", "status", "count", "first_seen", "last_seen", "summary")
                .values(SQLBind(signal.source.rawValue), SQLBind(signal.key), SQLBind(AlertState.Status.resolved.rawValue), SQLBind(0), SQLBind(now), SQLBind(now), SQLBind("")).run()
        }
        let row = sql.update("alerts").where("source", .equal, signal.source.rawValue).where("alert_key", .equal, signal.key)
        let summary = AlertText.line(signal.summary, max: TextLimits.title)
        var mailed = false
        var outcome = Outcome(key: signal.key, kind: .ignored, ticketNumber: state?.ticketNumber)
        switch decision {
        case .open:
            let build = tickets.prepare(extras: .none) { number in try ticketing.open(signal, number: number) }
            let (results, mailers) = try await TicketCreationQueue.store([build], on: sql)
            let ticket = try results[0].get()
            mailed = !mailers.isEmpty
            try await row.set("status", to: AlertState.Status.firing.rawValue).set("ticket_id", to: SQLBind(ticket.id))
                .set("started_at", to: SQLBind(signal.startedAt ?? now)).set("resolved_at", to: SQLLiteral.null)
                .set("count", to: SQLBind(1)).set("first_seen", to: SQLBind(now)).set("last_seen", to: SQLBind(now)).set("summary", to: SQLBind(summary)).run()
            outcome = Outcome(key: signal.key, kind: .opened, ticketNumber: ticket.number)
        case .repeated:
            try await row.set("count", to: SQLRaw("\"count\" + 1")).set("last_seen", to: SQLBind(now)).run()
            outcome.kind = .repeated
        case .refired:
            try await row.set("status", to: AlertState.Status.firing.rawValue).set("started_at", to: SQLBind(signal.startedAt ?? now))
                .set("resolved_at", to: SQLLiteral.null).set("count", to: SQLRaw("\"count\" + 1")).set("last_seen", to: SQLBind(now)).run()
            mailed = try await note("\(AlertText.sourceName(signal.source)) reports the alert firing again.", ticket: state?.ticketNumber, with: ticketing, on: sql)
            outcome.kind = .refired
        case .acknowledge:
            try await row.set("status", to: AlertState.Status.acknowledged.rawValue).set("last_seen", to: SQLBind(now)).run()
            mailed = try await note("\(AlertText.sourceName(signal.source)) reports the alert acknowledged.", ticket: state?.ticketNumber, with: ticketing, on: sql)
            outcome.kind = .acknowledged
        case .resolve:
            try await row.set("status", to: AlertState.Status.resolved.rawValue).set("resolved_at", to: SQLBind(signal.endedAt ?? now)).set("last_seen", to: SQLBind(now)).run()
            if let number = state?.ticketNumber, state?.ticketOpen == true {
                (_, mailed) = try await tickets.modify(number: number, extras: .none, on: sql) { ticket, scope in try ticketing.resolve(ticket, scope: scope, signal: signal) }
            }
            outcome.kind = .resolved
        case .rememberResolved:
            try await row.set("status", to: AlertState.Status.resolved.rawValue).set("started_at", to: SQLBind(signal.startedAt))
                .set("resolved_at", to: SQLBind(signal.endedAt ?? now)).set("summary", to: SQLBind(summary)).run()
            outcome.kind = .remembered
        case .ignore(let reason):
            outcome.reason = reason
        }
        return (outcome, mailed)
    }

    /// An internal note by the reporter on the alert's ticket, if it has one.
    private func note(_ text: String, ticket number: Int?, with ticketing: AlertTicketing, on sql: any SQLDatabase) async throws -> Bool {
        guard let number else { return false }
        return try await tickets.modify(number: number, extras: .none, on: sql) { ticket, scope in try ticketing.note(text, on: ticket, scope: scope) }.1
    }

    private static let stateSelect = """
        SELECT a."source", a."alert_key", a."status", a."started_at", a."resolved_at", a."count", a."first_seen", a."last_seen", a."summary", t."number", t."status" AS "ticket_status"
        FROM "alerts" a LEFT JOIN "tickets" t ON t."id" = a."ticket_id"
        """

    static func state(source: Integration.Kind, key: String, on sql: any SQLDatabase) async throws -> AlertState? {
        var text = SQLQueryString(stateSelect + " WHERE a.\"source\" = ")
        text.appendInterpolation(bind: source.rawValue)
        text.appendLiteral(" AND a.\"alert_key\" = ")
        text.appendInterpolation(bind: key)
        return try await sql.raw(text).first().map(Self.state)
    }

    /// Alert keys, most recently seen first: those of a ticket, or those in a status.
    public func list(ticketNumber: Int? = nil, status: AlertState.Status? = nil, limit: Int = 100) async throws -> [AlertState] {
        var text = SQLQueryString(Self.stateSelect + " WHERE 1 = 1")
        if let ticketNumber {
            text.appendLiteral(" AND t.\"number\" = ")
            text.appendInterpolation(bind: ticketNumber)
        }
        if let status {
            text.appendLiteral(" AND a.\"status\" = ")
            text.appendInterpolation(bind: status.rawValue)
        }
        text.appendLiteral(" ORDER BY a.\"last_seen\" DESC LIMIT ")
        text.appendInterpolation(bind: limit)
        return try await database.sql.raw(text).all().map(Self.state)
    }

    private static func state(_ row: any SQLRow) throws -> AlertState {
        let ticketStatus = try row.decode(column: "ticket_status", as: String?.self).flatMap(TicketStatus.init(rawValue:))
        return AlertState(
            source: Integration.Kind(rawValue: try row.decode(column: "source", as: String.self)) ?? .events,
            key: try row.decode(column: "alert_key", as: String.self),
            status: AlertState.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .resolved,
            ticketNumber: try row.decode(column: "number", as: Int?.self),
            ticketOpen: ticketStatus?.isOpen ?? false,
            startedAt: try row.decode(column: "started_at", as: Date?.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Date?.self),
            count: try row.decode(column: "count", as: Int.self),
            firstSeen: try row.decode(column: "first_seen", as: Date.self),
            lastSeen: try row.decode(column: "last_seen", as: Date.self),
            summary: try row.decode(column: "summary", as: String.self)
        )
    }
}
