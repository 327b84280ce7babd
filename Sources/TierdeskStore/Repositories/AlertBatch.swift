import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// One transaction's worth of alert requests, applied in arrival order. The keys' states are read once
/// and kept current in memory. The common decisions are written together at the end: repeats add to
/// their counts in a few statements, and new tickets are opened in one group like tickets from the API.
/// Any other decision (a resolution, say) is written at once, after whatever its key still owes.
struct AlertBatch {
    /// One request's signals and how its tickets are written.
    struct Request: Sendable {
        var signals: [AlertSignal]
        var ticketing: AlertTicketing
        /// What its ticket writes cause; one database's desks share one set, so a batch uses the first's.
        var effects: TicketWriteEffects
    }

    /// What one request did, and what to do once it has committed.
    struct Applied: Sendable {
        var outcomes: [AlertRepository.Outcome]
        /// Whether mail or webhooks were queued (the sender is woken after the commit).
        var queued: Bool
        /// Tickets written, to drop from the ticket cache after the commit.
        var touched: [Int]
    }

    /// Most requests in one transaction.
    static let maxBatch = 64

    typealias KeyID = AlertRepository.KeyID

    /// A ticket to open at the end of the batch, and the outcomes that will name it.
    private struct PendingOpen {
        var signal: AlertSignal
        var ticketing: AlertTicketing
        /// Whether the key has a row already (an earlier episode).
        var rowExists: Bool
        var count: Int
        var lastSeen: Date
        /// (request, outcome) positions to fill with the ticket number.
        var positions: [(Int, Int)]
    }

    private var states: [KeyID: AlertState]
    private let effects: TicketWriteEffects
    private let sql: any SQLDatabase
    private var results: [Applied]
    private var repeats: [KeyID: (count: Int, lastSeen: Date)] = [:]
    private var opens: [KeyID: PendingOpen] = [:]
    private var openOrder: [KeyID] = []

    init(states: [KeyID: AlertState], effects: TicketWriteEffects, sql: any SQLDatabase, requests: Int) {
        self.states = states
        self.effects = effects
        self.sql = sql
        results = Array(repeating: Applied(outcomes: [], queued: false, touched: []), count: requests)
    }

    mutating func apply(_ requests: [Request]) async throws -> [Applied] {
        for (index, request) in requests.enumerated() {
            for signal in request.signals {
                try await apply(signal, request: index, ticketing: request.ticketing)
            }
        }
        try await writeOpens()
        try await writeRepeats(repeats)
        return results
    }

    private mutating func apply(_ signal: AlertSignal, request: Int, ticketing: AlertTicketing) async throws {
        let id = KeyID(signal)
        let now = ticketing.now
        let state = states[id]
        let decision = AlertDecision.decide(signal, state: state)
        var outcome = AlertRepository.Outcome(key: signal.key, kind: .ignored, ticketNumber: state?.ticketNumber)
        let position = (request, results[request].outcomes.count)
        switch decision {
        case .open:
            opens[id] = PendingOpen(
                signal: signal,
                ticketing: ticketing,
                rowExists: state != nil,
                count: 1,
                lastSeen: now,
                positions: [position]
            )
            openOrder.append(id)
            states[id] = AlertState(
                source: signal.source,
                key: signal.key,
                status: .firing,
                ticketNumber: nil,
                ticketOpen: true,
                startedAt: signal.startedAt ?? now,
                resolvedAt: nil,
                count: 1,
                firstSeen: now,
                lastSeen: now,
                summary: signal.summary
            )
            outcome.kind = .opened
        case .repeated:
            states[id]?.count += 1
            states[id]?.lastSeen = now
            if opens[id] != nil {
                opens[id]!.count += 1
                opens[id]!.lastSeen = now
                opens[id]!.positions.append(position)
            } else {
                repeats[id] = ((repeats[id]?.count ?? 0) + 1, now)
            }
            outcome.kind = .repeated
        case .ignore(let reason):
            outcome.reason = reason
        default:
            if opens[id] != nil { try await writeOpens() }
            if let pending = repeats.removeValue(forKey: id) { try await writeRepeats([id: pending]) }
            let current = states[id]
            let queued: Bool
            (outcome, queued) = try await AlertRepository.write(
                signal,
                decision,
                state: current,
                with: ticketing,
                effects: effects,
                on: sql
            )
            results[request].queued = results[request].queued || queued
            if let number = outcome.ticketNumber { results[request].touched.append(number) }
            states[id] = try await AlertRepository.states(of: [id], on: sql)[id]
        }
        results[request].outcomes.append(outcome)
    }

    /// Opens the pending tickets in one group, then records each on its key. Past the limit on alert tickets
    /// in this clock hour (an alert storm), the rest are held on the newest alert ticket instead.
    private mutating func writeOpens() async throws {
        guard !openOrder.isEmpty else { return }
        var pending = openOrder.map { opens[$0]! }
        opens = [:]
        openOrder = []
        let ticketing = pending[0].ticketing
        let limit = ticketing.settings.newTicketsPerHour
        let granted = try await AlertIntakeHours.reserve(pending.count, limit: limit, at: ticketing.now, on: sql)
        var held = Array(pending.dropFirst(granted))
        pending.removeLast(held.count)
        var newest: Int?
        if !held.isEmpty, pending.isEmpty {
            newest =
                try await TicketRepository.recentNumbers(
                    requester: ticketing.reporter.id,
                    channel: .monitoring,
                    limit: 1,
                    on: sql
                )
                .first
            // Nothing to hold them on (no alert ticket at all): they open their own.
            if newest == nil { swap(&pending, &held) }
        }
        var placed: [(open: PendingOpen, ticket: Ticket, kind: AlertRepository.Outcome.Kind, queued: Bool)] = []
        if !pending.isEmpty {
            let builds = pending.map { open in
                TicketRepository.prepare(effects: effects, extras: .none) {
                    [signal = open.signal, ticketing = open.ticketing] number in
                    try ticketing.open(signal, number: number)
                }
            }
            let (created, wakes) = try await TicketCreation.store(builds, on: sql)
            for (open, result) in zip(pending, created) {
                let ticket = try result.get()
                placed.append((open, ticket, .opened, !wakes.isEmpty))
                newest = ticket.number
            }
        }
        if let newest, !held.isEmpty {
            // One note for the batch's held alerts, not one each: a storm must not write a storm of notes.
            let shown = held.prefix(20).map { "- " + AlertText.title($0.signal) }.joined(separator: "\n")
            let more =
                held.count > 20
                ? "\n… and \(held.count - 20) more; every held alert is listed under this ticket's alerts." : ""
            let text = """
                Held: alert intake opened \(limit) tickets this hour, the most allowed, so \(held.count) new \
                \(held.count == 1 ? "alert joins" : "alerts join") this ticket instead of opening \(held.count == 1 ? "its" : "their") own:
                \(shown)\(more)
                """
            let ((ticket, _), queued) = try await TicketRepository.modify(
                number: newest,
                effects: effects,
                extras: .none,
                on: sql
            ) { ticket, scope in
                try ticketing.note(text, on: ticket, scope: scope)
            }
            placed += held.map { ($0, ticket, .held, queued) }
        }
        try await record(placed)
    }

    /// Records each alert on the ticket it opened or was held on: a key known from an earlier episode gets
    /// its row updated, new keys are inserted in one statement. Fills the outcomes that name them.
    private mutating func record(
        _ placed: [(open: PendingOpen, ticket: Ticket, kind: AlertRepository.Outcome.Kind, queued: Bool)]
    ) async throws {
        let inserts = sql.insert(into: "alerts")
            .columns(
                "source",
                "alert_key",
                "status",
                "ticket_id",
                "started_at",
                "count",
                "first_seen",
                "last_seen",
                "summary"
            )
        var inserted = false
        for (open, ticket, kind, queued) in placed {
            let signal = open.signal
            let now = open.ticketing.now
            let summary = AlertText.line(signal.summary, max: TextLimits.title)
            if open.rowExists {
                try await sql.update("alerts").where("source", .equal, signal.source.rawValue)
                    .where("alert_key", .equal, signal.key)
                    .set("status", to: AlertState.Status.firing.rawValue).set("ticket_id", to: SQLBind(ticket.id))
                    .set("started_at", to: SQLBind(signal.startedAt ?? now)).set("resolved_at", to: SQLLiteral.null)
                    .set("count", to: SQLBind(open.count)).set("first_seen", to: SQLBind(now))
                    .set("last_seen", to: SQLBind(open.lastSeen))
                    .set("summary", to: SQLBind(summary)).run()
            } else {
                inserts.values(
                    SQLBind(signal.source.rawValue),
                    SQLBind(signal.key),
                    SQLBind(AlertState.Status.firing.rawValue),
                    SQLBind(ticket.id),
                    SQLBind(signal.startedAt ?? now),
                    SQLBind(open.count),
                    SQLBind(now),
                    SQLBind(open.lastSeen),
                    SQLBind(summary)
                )
                inserted = true
            }
            states[KeyID(signal)]?.ticketNumber = ticket.number
            for (request, index) in open.positions {
                results[request].outcomes[index].ticketNumber = ticket.number
                results[request].queued = results[request].queued || queued
            }
            // The first signal opened the key (or was held); later ones in the batch stay repeats.
            let (request, index) = open.positions[0]
            results[request].outcomes[index].kind = kind
            if kind == .held {
                results[request].outcomes[index].reason = "alert storm: the hourly limit on alert tickets is reached"
            }
            results[request].touched.append(ticket.number)
        }
        if inserted { try await inserts.run() }
    }

    /// Adds counted repeats and last-seen times: one statement per source and 200 keys.
    private func writeRepeats(_ repeats: [KeyID: (count: Int, lastSeen: Date)]) async throws {
        for (source, members) in Dictionary(grouping: repeats, by: \.key.source) {
            for start in stride(from: 0, to: members.count, by: 200) {
                let chunk = members[start..<min(start + 200, members.count)]
                var text = SQLQueryString("UPDATE \"alerts\" SET \"count\" = \"count\" + CASE \"alert_key\"")
                for (id, value) in chunk {
                    text.appendLiteral(" WHEN ")
                    text.appendInterpolation(bind: id.key)
                    text.appendLiteral(" THEN \(value.count)")
                }
                text.appendLiteral(" END, \"last_seen\" = CASE \"alert_key\"")
                for (id, value) in chunk {
                    text.appendLiteral(" WHEN ")
                    text.appendInterpolation(bind: id.key)
                    text.appendLiteral(" THEN ")
                    text.appendInterpolation(bind: value.lastSeen)
                }
                text.appendLiteral(" END WHERE \"source\" = ")
                text.appendInterpolation(bind: source.rawValue)
                text.appendLiteral(" AND \"alert_key\" IN (")
                for (index, (id, _)) in chunk.enumerated() {
                    text.appendLiteral(index == 0 ? "" : ", ")
                    text.appendInterpolation(bind: id.key)
                }
                text.appendLiteral(")")
                try await sql.raw(text).run()
            }
        }
    }
}
