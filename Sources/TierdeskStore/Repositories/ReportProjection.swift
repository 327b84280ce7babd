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

    /// The most tickets a report derives itself before reading the projection (``isNearlyCurrent(_:)``).
    public let catchUpLimit: Int

    public init(_ database: TierdeskDatabase, catchUpLimit: Int = Self.defaultCatchUpLimit) {
        self.database = database
        self.catchUpLimit = catchUpLimit
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
    /// batches); returns how many it re-derived, 0 once the projection is up to date. The tickets are read
    /// and derived outside the write; the write then applies those nobody changed meanwhile (a ticket
    /// written again stays queued, one another refresh took is left to it), reading their old entries
    /// inside it, so the sums stay exact with any number of refreshes at once.
    @discardableResult
    public func refresh(_ derivation: Derivation, limit: Int = batch) async throws -> Int {
        let sql = database.sql
        if try await fingerprint() != derivation.fingerprint {
            try await database.write { db in
                let sql = db as! any SQLDatabase
                try await Self.lock(sql)
                try await Self.resetIfStale(derivation.fingerprint, on: sql)
            }
        }
        let now = Self.micros(derivation.now)
        let postgres = sql.engine == .postgresql
        let claims = try await sql.select()
            .columns(postgres ? ["id", "ticket_id", "version"] : ["ticket_id", "version"])
            .from("report_changes").orderBy(postgres ? "id" : "ticket_id").limit(limit).all()
            .map {
                Claim(
                    id: postgres ? try $0.decode(column: "id", as: Int64.self) : nil,
                    ticketID: try $0.decode(column: "ticket_id", as: UUID.self),
                    version: try $0.decode(column: "version", as: Int64.self)
                )
            }
        let expired =
            claims.count < limit
            ? try await sql.select().column("ticket_id").from("report_tickets")
                .where("valid_until", .lessThanOrEqual, SQLBind(now))
                .limit(limit - claims.count)
                .all(decodingColumn: "ticket_id", as: UUID.self) : []
        let ids = Array(Set(claims.map(\.ticketID) + expired))
        guard !ids.isEmpty else { return 0 }
        let derived = try await Self.derive(ids, derivation, on: sql)
        return try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.lock(sql)
            var applied = Set(try await Self.release(claims, on: sql))
            let queued = Set(claims.map(\.ticketID))
            let stillExpired = expired.filter { !queued.contains($0) }
            if !stillExpired.isEmpty {
                applied.formUnion(
                    try await sql.select().column("ticket_id").from("report_tickets")
                        .where("ticket_id", .in, stillExpired)
                        .where("valid_until", .lessThanOrEqual, SQLBind(now))
                        .all(decodingColumn: "ticket_id", as: UUID.self)
                )
            }
            guard !applied.isEmpty else { return 0 }
            try await Self.store(
                Array(applied),
                derived: derived.filter { applied.contains($0.key) },
                zone: derivation.zone,
                on: sql
            )
            try await sql.update("report_state").set("derived_at", to: SQLBind(now))
                .where("name", .equal, SQLBind(Self.stateName))
                .where("derived_at", .lessThan, SQLBind(now))
                .run()
            return applied.count
        }
    }

    /// A queued ticket as read: a later write to it changes the row's version (SQLite, where the ticket is
    /// the key) or adds a row (PostgreSQL, where each row has an id).
    struct Claim {
        var id: Int64?
        var ticketID: UUID
        var version: Int64
    }

    /// Deletes the claims still as read; returns their tickets.
    static func release(_ claims: [Claim], on sql: any SQLDatabase) async throws -> [UUID] {
        var released: [UUID] = []
        for start in stride(from: 0, to: claims.count, by: 200) {
            let terms: [SQLQueryString] = claims[start..<min(start + 200, claims.count)]
                .map { claim -> SQLQueryString in
                    if let id = claim.id { return "(id = \(bind: id) AND version = \(bind: claim.version))" }
                    return "(ticket_id = \(bind: claim.ticketID) AND version = \(bind: claim.version))"
                }
            released +=
                try await sql.raw(
                    "DELETE FROM report_changes WHERE \(terms.joined(separator: " OR ")) RETURNING ticket_id"
                )
                .all(decodingColumn: "ticket_id", as: UUID.self)
        }
        return released
    }

    /// Serialises the projection's writes across instances on PostgreSQL (SQLite has one writer).
    static func lock(_ sql: any SQLDatabase) async throws {
        if sql.engine == .postgresql {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
        }
    }

    /// The fingerprint the projection was derived with, if any.
    func fingerprint() async throws -> String? {
        try await database.sql.select().column("fingerprint").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "fingerprint", as: String.self)
    }

    /// Refreshes until nothing is queued or expired; returns how many tickets it re-derived. A refresh that
    /// applied nothing because another one (the background job, another instance) took the same tickets
    /// first is tried again, up to ``contendedRefreshes`` times in a row.
    @discardableResult
    public func catchUp(_ derivation: Derivation) async throws -> Int {
        var total = 0
        var contended = 0
        while true {
            let done = try await refresh(derivation)
            total += done
            if done > 0 {
                contended = 0
                continue
            }
            contended += 1
            guard contended < Self.contendedRefreshes, try await hasWork(derivation) else { return total }
        }
    }

    /// How many refreshes in a row may come away empty-handed while work is left before ``catchUp(_:)``
    /// gives up (a ticket whose entries keep expiring at once would otherwise hold it forever).
    static let contendedRefreshes = 100

    /// Whether ``refresh(_:limit:)`` has anything to do: tickets queued or expired, or a new fingerprint.
    /// Reads only, so an idle desk does not take the writer's turn.
    public func hasWork(_ derivation: Derivation) async throws -> Bool {
        let sql = database.sql
        if try await fingerprint() != derivation.fingerprint { return true }
        if try await sql.select().column("ticket_id").from("report_changes").limit(1).first() != nil { return true }
        return try await sql.select().column("ticket_id").from("report_tickets")
            .where("valid_until", .lessThanOrEqual, SQLBind(Self.micros(derivation.now)))
            .limit(1).first() != nil
    }

    /// Whether a report may bring the projection up to date itself before reading it: at most
    /// ``catchUpLimit`` tickets are queued or due, or (derived with another fingerprint, or never) the whole
    /// desk holds no more. Otherwise the background refresh is re-deriving much of it (new SLA settings, a
    /// new release, a large import), and a report recomputes from events meanwhile rather than wait for it.
    public func isNearlyCurrent(_ derivation: Derivation) async throws -> Bool {
        guard try await fingerprint() == derivation.fingerprint else {
            return try await count(of: "SELECT 1 AS one FROM tickets", upTo: catchUpLimit + 1) <= catchUpLimit
        }
        // PostgreSQL queues a row per write, SQLite one per ticket: what costs is the tickets to derive.
        let rowLimit = catchUpLimit * 10
        guard try await count(of: "SELECT 1 AS one FROM report_changes", upTo: rowLimit + 1) <= rowLimit else {
            return false
        }
        let queued = try await count(
            of: "SELECT DISTINCT ticket_id FROM (SELECT ticket_id FROM report_changes LIMIT \(literal: rowLimit)) AS q",
            upTo: catchUpLimit + 1
        )
        guard queued <= catchUpLimit else { return false }
        let due = try await count(
            of: "SELECT 1 AS one FROM report_tickets WHERE valid_until <= \(bind: Self.micros(derivation.now))",
            upTo: catchUpLimit + 1 - queued
        )
        return queued + due <= catchUpLimit
    }

    /// How many rows `query` yields, counting no further than `limit`.
    func count(of query: SQLQueryString, upTo limit: Int) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM (\(query) LIMIT \(literal: limit)) AS bounded")
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// A few hundred milliseconds of deriving.
    public static let defaultCatchUpLimit = 2_000

    /// Whether the projection can answer for `now`: no ticket in it was derived at a later instant (whose
    /// clocks may have fallen due since `now`).
    public func serves(at now: Date) async throws -> Bool {
        try await derivedAt().map { $0 <= now.addingTimeInterval(Self.concurrentDerivation) } ?? true
    }

    /// How far ahead of a report's instant another refresh may have derived (it ran at the same moment);
    /// the report then moves its instant up to it.
    public static let concurrentDerivation: TimeInterval = 60

    /// The latest instant any ticket in the projection was derived at.
    public func derivedAt() async throws -> Date? {
        try await database.sql.select().column("derived_at").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "derived_at", as: Int64.self)
            .flatMap { $0 == Int64.min ? nil : Self.instant($0) }
    }

    /// The write transactions finished so far, and whether writes or ticket creations wait for the
    /// writer's turn now: what the background refresh gives way to.
    public func writeLoad() async -> (transactions: Int, waiting: Bool) {
        let activity = await database.writeActivity()
        return (activity.transactions, activity.waiting + activity.creationsWaiting > 0)
    }

    /// On a new fingerprint, forgets everything and queues every ticket.
    static func resetIfStale(_ fingerprint: String, on sql: any SQLDatabase) async throws {
        let stored = try await sql.select().column("fingerprint").from("report_state")
            .where("name", .equal, SQLBind(Self.stateName))
            .first(decodingColumn: "fingerprint", as: String.self)
        guard stored != fingerprint else { return }
        for table in [
            "report_counts", "report_repeats", "report_corrections", "report_segments", "report_entries",
            "report_tickets", "report_changes",
        ] {
            try await sql.delete(from: table).run()
        }
        try await sql.raw("INSERT INTO report_changes (ticket_id) SELECT id FROM tickets").run()
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
