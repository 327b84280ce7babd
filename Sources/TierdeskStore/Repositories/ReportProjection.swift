import Foundation
import SQLKit
import TierdeskCore

/// The reports' projection (M025): each ticket's report entries (``ReportEntry``), the entries' sums per
/// local day, key and tier, repeated entries, data corrections and open stretches. Reports of the home
/// time zone, unfiltered or by tier, add up days instead of tickets; every write to a ticket or its history
/// queues it (triggers), and ``refresh(_:limit:)`` re-derives the queued tickets, those whose entries
/// changed by time alone (a clock fell due), and everything when the SLA settings or home time zone change.
/// Sums move by the difference between a ticket's old and new entries in the same transaction, so they
/// always equal a recomputation from the events of the tickets read.
public struct ReportProjection: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// How tickets' facts are derived now.
    public struct Derivation: Sendable {
        /// Names the SLA settings and home time zone; a different one re-derives every ticket.
        public var fingerprint: String
        /// The home time zone: days and hours of the day are local to it.
        public var zone: TimeZone
        public var now: Date
        public var knownErrorsCreated: [UUID: Date]
        public var facts: @Sendable (Ticket, [TicketEvent]) -> TicketFacts

        public init(
            fingerprint: String,
            zone: TimeZone,
            now: Date,
            knownErrorsCreated: [UUID: Date],
            facts: @escaping @Sendable (Ticket, [TicketEvent]) -> TicketFacts
        ) {
            self.fingerprint = fingerprint
            self.zone = zone
            self.now = now
            self.knownErrorsCreated = knownErrorsCreated
            self.facts = facts
        }
    }

    /// Tickets re-derived per transaction: small enough not to hold the writer's turn for long.
    public static let batch = 500

    /// Serialises refreshes across instances on PostgreSQL (a transaction-scoped advisory lock).
    static let lockKey: Int64 = 0x7464_7270_726f_6a00

    /// Re-derives one batch of queued or expired tickets (all of them, after a change of fingerprint, in
    /// batches); returns how many it re-derived, 0 once the projection is up to date.
    @discardableResult
    public func refresh(_ derivation: Derivation, limit: Int = batch) async throws -> Int {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            if sql.engine == .postgresql {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
            }
            try await Self.resetIfStale(derivation.fingerprint, on: sql)
            var ids =
                try await sql.raw(
                    """
                    DELETE FROM report_changes WHERE id IN (SELECT id FROM report_changes ORDER BY id LIMIT \(bind: limit))
                    RETURNING ticket_id
                    """
                )
                .all(decodingColumn: "ticket_id", as: UUID.self)
            if ids.count < limit {
                ids += try await sql.select().column("ticket_id").from("report_tickets")
                    .where("valid_until", .lessThanOrEqual, SQLBind(Self.micros(derivation.now)))
                    .limit(limit - ids.count)
                    .all(decodingColumn: "ticket_id", as: UUID.self)
            }
            let unique = Array(Set(ids))
            guard !unique.isEmpty else { return 0 }
            try await Self.rederive(unique, derivation, on: sql)
            try await sql.update("report_state").set("derived_at", to: SQLBind(Self.micros(derivation.now)))
                .where("name", .equal, SQLBind(Self.stateName))
                .where("derived_at", .lessThan, SQLBind(Self.micros(derivation.now)))
                .run()
            return unique.count
        }
    }

    /// Refreshes until nothing is queued or expired; returns how many tickets it re-derived.
    @discardableResult
    public func catchUp(_ derivation: Derivation) async throws -> Int {
        var total = 0
        while true {
            let done = try await refresh(derivation)
            total += done
            if done == 0 { return total }
        }
    }

    /// Whether ``refresh(_:limit:)`` has anything to do: tickets queued or expired, or a new fingerprint.
    /// Reads only, so an idle desk does not take the writer's turn.
    public func hasWork(_ derivation: Derivation) async throws -> Bool {
        let sql = database.sql
        let stored = try await sql.select().column("fingerprint").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "fingerprint", as: String.self)
        if stored != derivation.fingerprint { return true }
        if try await sql.select().column("ticket_id").from("report_changes").limit(1).first() != nil { return true }
        return try await sql.select().column("ticket_id").from("report_tickets")
            .where("valid_until", .lessThanOrEqual, SQLBind(Self.micros(derivation.now)))
            .limit(1).first() != nil
    }

    /// Whether the projection can answer for `now`: no ticket in it was derived at a later instant (whose
    /// clocks may have fallen due since `now`).
    public func serves(at now: Date) async throws -> Bool {
        let derived = try await database.sql.select().column("derived_at").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "derived_at", as: Int64.self)
        return derived.map { $0 <= Self.micros(now) } ?? true
    }

    /// Tickets queued for re-derivation.
    public func queued() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("report_changes").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// On a new fingerprint, forgets everything and queues every ticket.
    static func resetIfStale(_ fingerprint: String, on sql: any SQLDatabase) async throws {
        let stored = try await sql.select().column("fingerprint").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "fingerprint", as: String.self)
        guard stored != fingerprint else { return }
        for table in [
            "report_counts", "report_repeats", "report_corrections", "report_segments", "report_tickets",
            "report_changes",
        ] {
            try await sql.delete(from: table).run()
        }
        try await sql.raw("INSERT INTO report_changes (ticket_id) SELECT id FROM tickets ORDER BY number").run()
        try await sql.delete(from: "report_state").where("name", .equal, SQLBind(Self.stateName)).run()
        try await sql.insert(into: "report_state").columns("name", "fingerprint", "derived_at")
            .values(SQLBind(Self.stateName), SQLBind(fingerprint), SQLBind(Int64.min)).run()
    }

    static let stateName = "projection"

    /// A day's or month's sums under one key and tier (or `all`).
    struct CountKey: Hashable {
        var months: Bool
        var period: Int
        var tier: String
        var slice: String
    }

    /// The tier column of the sums over all tiers.
    static let allTiers = "all"

    /// Replaces what `ids` add to the projection with what their current histories say.
    static func rederive(_ ids: [UUID], _ derivation: Derivation, on sql: any SQLDatabase) async throws {
        var deltas: [CountKey: ReportTotals] = [:]
        let zone = derivation.zone
        func apply(_ entries: [ReportEntry], tier: String, sign: Int64) {
            for entry in entries where entry.previous == nil {
                let day = ReportPeriod.dayNumber(of: entry.at, in: zone)
                let month = Self.month(ofDay: day)
                let totals = ReportTotals(
                    tickets: Int(sign),
                    value: sign * entry.value,
                    business: sign * (entry.business ?? 0),
                    businessTickets: entry.business == nil ? 0 : Int(sign)
                )
                for tier in [tier, Self.allTiers] {
                    deltas[CountKey(months: false, period: day, tier: tier, slice: entry.key), default: ReportTotals()]
                        .add(totals)
                    deltas[CountKey(months: true, period: month, tier: tier, slice: entry.key), default: ReportTotals()]
                        .add(totals)
                }
            }
        }
        let decoder = JSONDecoder()
        for row in try await sql.select().columns("tier", "entries").from("report_tickets")
            .where("ticket_id", .in, ids).all()
        {
            let entries = try decoder.decode(
                [ReportEntry].self,
                from: Data(try row.decode(column: "entries", as: String.self).utf8)
            )
            apply(entries, tier: try row.decode(column: "tier", as: String.self), sign: -1)
        }
        for table in ["report_tickets", "report_repeats", "report_corrections", "report_segments"] {
            try await sql.delete(from: table).where("ticket_id", .in, ids).run()
        }
        let tickets = try await sql.select().columns(TicketRow.columns.map { SQLColumn($0) }).from("tickets")
            .where("id", .in, ids)
            .all(decoding: TicketRow.self, with: TicketRepository.decoder).map(\.domain)
        let events = try await ReportRepository.events(of: tickets.map(\.id), on: sql)
        let encoder = JSONEncoder()
        var ticketRows: [[any SQLExpression]] = []
        var repeatRows: [[any SQLExpression]] = []
        var correctionRows: [[any SQLExpression]] = []
        var segmentRows: [[any SQLExpression]] = []
        for ticket in tickets {
            let facts = derivation.facts(ticket, events[ticket.id] ?? [])
            let entries = facts.entries(
                now: derivation.now,
                knownErrorsCreated: derivation.knownErrorsCreated,
                zone: zone
            )
            let tier = facts.tier.rawValue
            apply(entries, tier: tier, sign: 1)
            ticketRows.append([
                SQLBind(ticket.id), SQLBind(tier),
                SQLBind(String(decoding: try encoder.encode(entries), as: UTF8.self)),
                SQLBind(facts.entriesValidUntil(now: derivation.now).map { Self.micros($0, rounding: .up) }),
            ])
            for entry in entries {
                guard let previous = entry.previous else { continue }
                repeatRows.append([
                    SQLBind(ticket.id), SQLBind(entry.key), SQLBind(tier),
                    SQLBind(ReportPeriod.dayNumber(of: entry.at, in: zone)),
                    SQLBind(ReportPeriod.dayNumber(of: previous, in: zone)),
                ])
            }
            for correction in facts.corrections {
                correctionRows.append([
                    SQLBind(ticket.id), SQLBind(ticket.number), SQLBind(tier), SQLBind(Self.micros(correction.at)),
                    SQLBind(correction.actorID), SQLBind(correction.reason),
                ])
            }
            for segment in facts.backlogSegments {
                segmentRows.append([
                    SQLBind(ticket.id), SQLBind(tier), SQLBind(segment.tier.rawValue),
                    SQLBind(Self.micros(facts.createdAt)), SQLBind(Self.micros(segment.start)),
                    SQLBind(segment.end.map { Self.micros($0) }),
                ])
            }
        }
        try await insert(ticketRows, into: "report_tickets", ["ticket_id", "tier", "entries", "valid_until"], on: sql)
        try await insert(
            repeatRows,
            into: "report_repeats",
            ["ticket_id", "slice", "tier", "day", "previous_day"],
            on: sql
        )
        try await insert(
            correctionRows,
            into: "report_corrections",
            ["ticket_id", "number", "tier", "at", "actor_id", "reason"],
            on: sql
        )
        try await insert(
            segmentRows,
            into: "report_segments",
            ["ticket_id", "tier", "tier_then", "created_at", "start_at", "end_at"],
            on: sql
        )
        try await add(deltas.filter { !$0.value.isEmpty }, on: sql)
    }

    /// Inserts rows of bound values, a few hundred to a statement.
    static func insert(_ rows: [[any SQLExpression]], into table: String, _ columns: [String], on sql: any SQLDatabase)
        async throws
    {
        let perStatement = 4_000 / columns.count
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }

    /// Adds the deltas to the day sums.
    static func add(_ deltas: [CountKey: ReportTotals], on sql: any SQLDatabase) async throws {
        let rows = Array(deltas)
        for start in stride(from: 0, to: rows.count, by: 500) {
            var values: [SQLQueryString] = []
            for (key, totals) in rows[start..<min(start + 500, rows.count)] {
                values.append(
                    """
                    (\(bind: key.months ? "month" : "day"), \(bind: key.tier), \(bind: key.period), \
                    \(bind: key.slice), \(bind: totals.tickets), \(bind: totals.value), \(bind: totals.business), \
                    \(bind: totals.businessTickets))
                    """
                )
            }
            try await sql.raw(
                """
                INSERT INTO report_counts (span, tier, period, slice, tickets, value, business, business_tickets)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (span, tier, period, slice) DO UPDATE SET
                tickets = report_counts.tickets + excluded.tickets, value = report_counts.value + excluded.value,
                business = report_counts.business + excluded.business,
                business_tickets = report_counts.business_tickets + excluded.business_tickets
                """
            )
            .run()
        }
    }

    /// Microseconds since 1970.
    static func micros(_ instant: Date, rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int64 {
        Int64((instant.timeIntervalSince1970 * 1_000_000).rounded(rounding))
    }

    static func instant(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
