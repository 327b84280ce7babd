import Foundation
import SQLKit
import TierdeskCore

extension ReportProjection {
    /// What one ticket adds to the projection now: its entries and the rows beside them.
    struct Derived: Sendable {
        var tier: String
        var entries: [ReportEntry]
        var entriesJSON: String
        var validUntil: Int64?
        var repeats: [[any SQLExpression]]
        var corrections: [[any SQLExpression]]
        var segments: [[any SQLExpression]]
        /// The rows of `report_entries`.
        var listed: [[any SQLExpression]]
    }

    /// A ticket's row of `report_entries`: its entries under a listed key on one local day.
    struct ListedEntry: Hashable {
        var key: String
        var day: Int
    }

    /// The keys and local days of the ticket's entries under listed keys (``OperatingReport/listedKeys``).
    static func listed(_ entries: [ReportEntry], zone: TimeZone) -> Set<ListedEntry> {
        Set(
            entries.filter { OperatingReport.listedKeys.contains($0.key) }
                .map { ListedEntry(key: $0.key, day: ReportPeriod.dayNumber(of: $0.at, in: zone)) }
        )
    }

    /// Reads `ids` with their histories and derives what each adds now (a ticket no longer stored adds
    /// nothing). Reads only.
    static func derive(_ ids: [UUID], _ derivation: Derivation, on sql: any SQLDatabase) async throws
        -> [UUID: Derived]
    {
        let zone = derivation.zone
        let encoder = JSONEncoder()
        var derived: [UUID: Derived] = [:]
        for history in try await ReportRepository.histories(of: ids, on: sql) {
            let ticket = history.ticket
            let facts = derivation.facts(ticket, history.events)
            let entries = facts.entries(
                now: derivation.now,
                knownErrorsCreated: derivation.knownErrorsCreated,
                zone: zone
            )
            let tier = facts.tier.rawValue
            let corrections = facts.corrections.enumerated()
                .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            derived[ticket.id] = Derived(
                tier: tier,
                entries: entries,
                entriesJSON: String(decoding: try encoder.encode(entries), as: UTF8.self),
                validUntil: facts.entriesValidUntil(now: derivation.now).map { Self.micros($0, rounding: .up) },
                repeats: entries.compactMap { entry in
                    entry.previous.map { previous in
                        [
                            SQLBind(ticket.id), SQLBind(entry.key), SQLBind(tier),
                            SQLBind(ReportPeriod.dayNumber(of: entry.at, in: zone)),
                            SQLBind(ReportPeriod.dayNumber(of: previous, in: zone)),
                        ]
                    }
                },
                corrections: zip(corrections, [nil] + corrections.map { Optional($0.element.at) })
                    .map { numbered, previous in
                        let (ordinal, correction) = numbered
                        return [
                            SQLBind(ticket.id), SQLBind(ticket.number), SQLBind(ordinal), SQLBind(tier),
                            SQLBind(Self.micros(correction.at)),
                            SQLBind(previous.map { Self.micros($0) }), SQLBind(correction.actorID),
                            SQLBind(correction.reason),
                        ]
                    },
                segments: facts.backlogSegments.map { segment in
                    [
                        SQLBind(ticket.id), SQLBind(ticket.number), SQLBind(tier), SQLBind(segment.tier.rawValue),
                        SQLBind(Self.micros(facts.createdAt)), SQLBind(Self.micros(segment.start)),
                        SQLBind(segment.end.map { Self.micros($0) }),
                    ]
                },
                listed: listed(entries, zone: zone)
                    .map { entry in
                        [
                            SQLBind(entry.key), SQLBind(entry.day), SQLBind(ticket.id), SQLBind(ticket.number),
                            SQLBind(tier),
                        ]
                    }
            )
        }
        return derived
    }

    /// Replaces what `ids` add to the projection with `derived` (nothing for an id it lacks): the old
    /// entries are read here, inside the write, and the day and month sums move by the difference.
    static func store(_ ids: [UUID], derived: [UUID: Derived], zone: TimeZone, on sql: any SQLDatabase)
        async throws
    {
        var deltas: [CountKey: ReportTotals] = [:]
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
        var unlisted: [SQLQueryString] = []
        for row in try await sql.select().columns("ticket_id", "tier", "entries").from("report_tickets")
            .where("ticket_id", .in, ids).all()
        {
            let entries = try decoder.decode(
                [ReportEntry].self,
                from: Data(try row.decode(column: "entries", as: String.self).utf8)
            )
            apply(entries, tier: try row.decode(column: "tier", as: String.self), sign: -1)
            let id = try row.decode(column: "ticket_id", as: UUID.self)
            for entry in listed(entries, zone: zone) {
                unlisted.append("(\(bind: entry.key), \(bind: entry.day), \(bind: id))")
            }
        }
        try await unlist(unlisted, on: sql)
        for table in ["report_tickets", "report_repeats", "report_corrections", "report_segments"] {
            try await sql.delete(from: table).where("ticket_id", .in, ids).run()
        }
        var ticketRows: [[any SQLExpression]] = []
        for (id, ticket) in derived {
            apply(ticket.entries, tier: ticket.tier, sign: 1)
            ticketRows.append([
                SQLBind(id), SQLBind(ticket.tier), SQLBind(ticket.entriesJSON), SQLBind(ticket.validUntil),
            ])
        }
        try await insert(ticketRows, into: "report_tickets", ["ticket_id", "tier", "entries", "valid_until"], on: sql)
        try await insert(
            derived.values.flatMap(\.repeats),
            into: "report_repeats",
            ["ticket_id", "slice", "tier", "day", "previous_day"],
            on: sql
        )
        try await insert(
            derived.values.flatMap(\.corrections),
            into: "report_corrections",
            ["ticket_id", "number", "ordinal", "tier", "at", "previous_at", "actor_id", "reason"],
            on: sql
        )
        try await insert(
            derived.values.flatMap(\.segments),
            into: "report_segments",
            ["ticket_id", "number", "tier", "tier_then", "created_at", "start_at", "end_at"],
            on: sql
        )
        try await insert(
            derived.values.flatMap(\.listed),
            into: "report_entries",
            ["slice", "day", "ticket_id", "number", "tier"],
            on: sql
        )
        try await add(deltas.filter { !$0.value.isEmpty }, on: sql)
    }

    /// Deletes rows of `report_entries` by key, day and ticket (each term `(key, day, ticket)`).
    static func unlist(_ terms: [SQLQueryString], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: terms.count, by: 1_000) {
            let chunk = terms[start..<min(start + 1_000, terms.count)]
            try await sql.raw(
                """
                DELETE FROM report_entries WHERE (slice, day, ticket_id) IN (VALUES \(chunk.joined(separator: ", ")))
                """
            )
            .run()
        }
    }
}
