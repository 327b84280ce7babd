import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Alert keys and their tickets. A request's signals are applied in one transaction while it holds its
/// keys (a lock per key on PostgreSQL, the one writer on SQLite), so two deliveries of a new alert, on
/// one instance or several, open one ticket.
public struct AlertRepository: Sendable {
    let database: TierdeskDatabase
    private let queue: GroupCommit<AlertBatch.Request, AlertBatch.Applied>

    public init(_ database: TierdeskDatabase) {
        self.database = database
        queue = GroupCommit(maxBatch: AlertBatch.maxBatch) { requests, sql in
            let applied = try await Self.apply(requests, on: sql)
            let wakes = applied.contains(where: \.queued) ? requests.prefix(1).map(\.effects.queued) : []
            return (applied.map { .success($0) }, wakes)
        }
    }

    /// What one signal did.
    public struct Outcome: Sendable, Equatable {
        public enum Kind: String, Sendable, Codable {
            case opened, repeated, refired, acknowledged, resolved, remembered, ignored
            /// New, but past the hourly limit on alert tickets: held as a note on the newest alert ticket.
            case held
        }

        public var key: String
        public var kind: Kind
        public var ticketNumber: Int?
        public var reason: String?
    }

    /// An alert key within its source.
    struct KeyID: Hashable {
        var source: Integration.Kind
        var key: String

        init(source: Integration.Kind, key: String) {
            self.source = source
            self.key = key
        }

        init(_ signal: AlertSignal) {
            self.init(source: signal.source, key: signal.key)
        }
    }

    /// Applies the signals in order of arrival, all in one transaction (shared with requests that arrive
    /// at the same moment, see ``GroupCommit``).
    public func ingest(_ signals: [AlertSignal], with ticketing: AlertTicketing, effects: TicketWriteEffects)
        async throws -> [Outcome]
    {
        let applied = try await queue.submit(
            AlertBatch.Request(signals: signals, ticketing: ticketing, effects: effects),
            to: database
        )
        for number in applied.touched { database.ticketCache?.remove(number) }
        return applied.outcomes
    }

    /// On PostgreSQL, takes a transaction lock on every key first, in one global order, so that requests
    /// for the same keys take turns and never wait on each other in a circle; the ticket counter, which
    /// opening a ticket locks, comes after. SQLite's one writer needs nothing.
    static func lockKeys(of signals: [AlertSignal], on sql: any SQLDatabase) async throws {
        guard sql.engine.hasConcurrentWriters else { return }
        let locks = Set(signals.map { Int64(bitPattern: FNV.digest("\($0.source.rawValue)\u{1}\($0.key)")) }).sorted()
        for lock in locks {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: lock))").run()
        }
    }

    /// Applies a batch of requests in the caller's transaction (see ``AlertBatch``).
    static func apply(_ requests: [AlertBatch.Request], on sql: any SQLDatabase) async throws -> [AlertBatch.Applied] {
        let signals = requests.flatMap(\.signals)
        guard let effects = requests.first?.effects else { return [] }
        try await lockKeys(of: signals, on: sql)
        var batch = AlertBatch(
            states: try await states(of: Set(signals.map(KeyID.init)), on: sql),
            effects: effects,
            sql: sql,
            requests: requests.count
        )
        return try await batch.apply(requests)
    }

    /// Writes one decision other than an open, a repeat or an ignore. Only a remembered resolution comes
    /// without a row; every other decision is about a key already known.
    static func write(
        _ signal: AlertSignal,
        _ decision: AlertDecision,
        state: AlertState?,
        with ticketing: AlertTicketing,
        effects: TicketWriteEffects,
        on sql: any SQLDatabase
    ) async throws -> (Outcome, Bool) {
        let now = ticketing.now
        let row = sql.update("alerts").where("source", .equal, signal.source.rawValue)
            .where("alert_key", .equal, signal.key)
        let summary = AlertText.line(signal.summary, max: TextLimits.title)
        var queued = false
        var outcome = Outcome(key: signal.key, kind: .ignored, ticketNumber: state?.ticketNumber)
        switch decision {
        case .refired:
            try await row.set("status", to: AlertState.Status.firing.rawValue)
                .set("started_at", to: SQLBind(signal.startedAt ?? now))
                .set("resolved_at", to: SQLLiteral.null).set("count", to: SQLRaw("\"count\" + 1"))
                .set("last_seen", to: SQLBind(now)).run()
            queued = try await note(
                "\(AlertText.sourceName(signal.source)) reports the alert firing again.",
                ticket: state?.ticketNumber,
                with: ticketing,
                effects: effects,
                on: sql
            )
            outcome.kind = .refired
        case .acknowledge:
            try await row.set("status", to: AlertState.Status.acknowledged.rawValue).set("last_seen", to: SQLBind(now))
                .run()
            queued = try await note(
                "\(AlertText.sourceName(signal.source)) reports the alert acknowledged.",
                ticket: state?.ticketNumber,
                with: ticketing,
                effects: effects,
                on: sql
            )
            outcome.kind = .acknowledged
        case .resolve:
            try await row.set("status", to: AlertState.Status.resolved.rawValue)
                .set("resolved_at", to: SQLBind(signal.endedAt ?? now)).set("last_seen", to: SQLBind(now)).run()
            if let number = state?.ticketNumber, state?.ticketOpen == true {
                (_, queued) = try await TicketRepository.modify(
                    number: number,
                    effects: effects,
                    extras: .none,
                    on: sql
                ) { ticket, scope in try ticketing.resolve(ticket, scope: scope, signal: signal) }
            }
            outcome.kind = .resolved
        case .rememberResolved:
            try await sql.insert(into: "alerts")
                .columns(
                    "source",
                    "alert_key",
                    "status",
                    "started_at",
                    "resolved_at",
                    "count",
                    "first_seen",
                    "last_seen",
                    "summary"
                )
                .values(
                    SQLBind(signal.source.rawValue),
                    SQLBind(signal.key),
                    SQLBind(AlertState.Status.resolved.rawValue),
                    SQLBind(signal.startedAt),
                    SQLBind(signal.endedAt ?? now),
                    SQLBind(0),
                    SQLBind(now),
                    SQLBind(now),
                    SQLBind(summary)
                )
                .run()
            outcome.kind = .remembered
        case .open, .repeated, .ignore:
            preconditionFailure("opens, repeats and ignores are written for the whole batch")
        }
        return (outcome, queued)
    }

    /// An internal note by the reporter on the alert's ticket, if it has one.
    private static func note(
        _ text: String,
        ticket number: Int?,
        with ticketing: AlertTicketing,
        effects: TicketWriteEffects,
        on sql: any SQLDatabase
    ) async throws -> Bool {
        guard let number else { return false }
        return
            try await TicketRepository.modify(number: number, effects: effects, extras: .none, on: sql) {
                ticket,
                scope in try ticketing.note(text, on: ticket, scope: scope)
            }
            .1
    }

    private static let stateSelect = """
        SELECT a."source", a."alert_key", a."status", a."started_at", a."resolved_at", a."count", a."first_seen", a."last_seen", a."summary", t."number", t."status" AS "ticket_status"
        FROM "alerts" a LEFT JOIN "tickets" t ON t."id" = a."ticket_id"
        """

    /// The states of many keys, read in one statement per source and 500 keys.
    static func states(of ids: Set<KeyID>, on sql: any SQLDatabase) async throws -> [KeyID: AlertState] {
        var states: [KeyID: AlertState] = [:]
        for (source, members) in Dictionary(grouping: ids, by: \.source) {
            let keys = members.map(\.key)
            for start in stride(from: 0, to: keys.count, by: 500) {
                var text = SQLQueryString(stateSelect + " WHERE a.\"source\" = ")
                text.appendInterpolation(bind: source.rawValue)
                text.appendLiteral(" AND a.\"alert_key\" IN (")
                for (index, key) in keys[start..<min(start + 500, keys.count)].enumerated() {
                    if index > 0 { text.appendLiteral(", ") }
                    text.appendInterpolation(bind: key)
                }
                text.appendLiteral(")")
                for row in try await sql.raw(text).all() {
                    let state = try Self.state(row)
                    states[KeyID(source: state.source, key: state.key)] = state
                }
            }
        }
        return states
    }

    /// Alert keys, most recently seen first: those of a ticket, or those in a status.
    public func list(ticketNumber: Int? = nil, status: AlertState.Status? = nil, limit: Int = 100) async throws
        -> [AlertState]
    {
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
        let ticketStatus = try row.decode(column: "ticket_status", as: String?.self)
            .flatMap(TicketStatus.init(rawValue:))
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
