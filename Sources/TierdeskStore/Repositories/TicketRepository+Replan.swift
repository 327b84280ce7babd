import FluentKit
import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// Tickets replanned per transaction.
    static let replanBatch = 1000

    /// Recomputes the deadline and alarms of every open ticket from its history, after SLA calendars or
    /// policies changed. Works in batches of ``replanBatch`` tickets, each one transaction with its rows
    /// locked, so ticket writes go on between batches; alarms that fired stay fired. Returns how many
    /// tickets got a new deadline or new alarms.
    public func replanOpenTickets() async throws -> Int {
        guard let planner else { return 0 }
        var after = 0
        var changed = 0
        while true {
            let start = after
            let (last, count) = try await database.write { db in
                try await Self.replan(after: start, planner: planner, on: db as! any SQLDatabase)
            }
            changed += count
            guard let last else { break }
            after = last
        }
        database.ticketCache?.removeAll()
        return changed
    }

    /// Replans the next batch of open tickets after number `after`; returns the last number seen (nil when
    /// there are no more) and how many tickets changed.
    private static func replan(after: Int, planner: any SLAPlanner, on sql: any SQLDatabase) async throws -> (Int?, Int) {
        let select = sql.select().columns(TicketRow.columns.map { SQLColumn($0) }).from("tickets")
            .where("number", .greaterThan, after)
            .where("status", .notIn, TicketStatus.allCases.filter { !$0.isOpen }.map(\.rawValue))
            .orderBy("number").limit(replanBatch)
        if sql.dialect.name == "postgresql" { select.lockingClause(SQLLockingClause.update) }
        let tickets = try await select.all(decoding: TicketRow.self, with: decoder).map(\.domain)
        guard let last = tickets.last?.number else { return (nil, 0) }
        let ids = tickets.map(\.id)
        var histories: [UUID: [TicketEvent]] = [:]
        for event in try await sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) }).from("ticket_events")
            .where("ticket_id", .in, ids).where("kind", .in, TicketClocks.eventKinds.map(\.rawValue)).orderBy("seq")
            .all(decoding: TicketEventRow.self, with: decoder) {
            histories[event.ticketId, default: []].append(event.domain)
        }
        var stored: [UUID: String] = [:]
        for row in try await sql.select().columns("ticket_id", "alarms").from("sla_plans").where("ticket_id", .in, ids).all() {
            stored[try row.decode(column: "ticket_id", as: UUID.self)] = try row.decode(column: "alarms", as: String.self)
        }
        var deadlines: [(UUID, Date?)] = []
        var plans: [(UUID, [SLAAlarmRepository.Entry])] = []
        for ticket in tickets {
            let plan = planner.plan(for: ticket, history: histories[ticket.id] ?? [])
            if plan.nextDeadline != ticket.nextDeadline { deadlines.append((ticket.id, plan.nextDeadline)) }
            let before = try stored[ticket.id].map(SLAAlarmRepository.decode) ?? []
            let entries = SLAAlarmRepository.merge(before, with: plan.alarms)
            if entries.map(\.key) != before.map(\.key) { plans.append((ticket.id, entries)) }
        }
        try await updateDeadlines(deadlines, on: sql)
        try await SLAAlarmRepository.upsert(plans, on: sql)
        return (last, Set(deadlines.map(\.0) + plans.map(\.0)).count)
    }

    /// Sets `next_deadline` of many tickets in one statement.
    private static func updateDeadlines(_ deadlines: [(UUID, Date?)], on sql: any SQLDatabase) async throws {
        guard !deadlines.isEmpty else { return }
        var query = SQLQueryString("WITH v(id, deadline) AS (VALUES ")
        for (index, (id, deadline)) in deadlines.enumerated() {
            if index > 0 { query.appendLiteral(", ") }
            query.appendLiteral("(")
            query.appendInterpolation(bind: id)
            query.appendLiteral(", ")
            query.appendInterpolation(bind: deadline)
            query.appendLiteral(")")
        }
        query.appendLiteral(") UPDATE \"tickets\" SET \"next_deadline\" = v.deadline FROM v WHERE \"tickets\".\"id\" = v.id")
        try await sql.raw(query).run()
    }
}
