import FluentKit
import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// Tickets replanned per transaction.
    static let replanBatch = 5000

    /// Recomputes the deadline and alarms of every open ticket from its history, after SLA calendars or
    /// policies changed. Works in batches of ``replanBatch`` tickets, each one transaction with its rows
    /// locked, so ticket writes go on between batches; alarms that fired stay fired. Returns how many
    /// tickets got a new deadline or new alarms.
    public func replanOpenTickets(planner: any SLAPlanner) async throws -> Int {
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
    private static func replan(after: Int, planner: any SLAPlanner, on sql: any SQLDatabase) async throws -> (Int?, Int)
    {
        // On PostgreSQL the ticket rows are locked first and their plans read after: no writer or timer can
        // change a plan while its ticket is locked. SQLite has one writer, so one joined read does.
        let shared = sql.engine.hasConcurrentWriters
        let select = sql.select()
            .columns(planningColumns.map { SQLColumn($0, table: "t") })
            .from(SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("t")))
            .where(SQLColumn("number", table: "t"), .greaterThan, SQLBind(after))
            .where(
                SQLColumn("status", table: "t"),
                .notIn,
                SQLBind.group(TicketStatus.allCases.filter { !$0.isOpen }.map(\.rawValue))
            )
            .orderBy(SQLColumn("number", table: "t")).limit(replanBatch)
        if shared {
            select.lockingClause(SQLLockingClause.update)
        } else {
            select.column(SQLColumn("alarms", table: "p"))
                .join(
                    SQLAlias(SQLIdentifier("sla_plans"), as: SQLIdentifier("p")),
                    method: SQLJoinMethod.left,
                    on: SQLColumn("ticket_id", table: "p"),
                    .equal,
                    SQLColumn("id", table: "t")
                )
        }
        var tickets: [Ticket] = []
        var stored: [UUID: String] = [:]
        for row in try await select.all() {
            let ticket = try planningTicket(row)
            tickets.append(ticket)
            if !shared, let alarms = try row.decode(column: "alarms", as: String?.self) { stored[ticket.id] = alarms }
        }
        guard let last = tickets.last?.number else { return (nil, 0) }
        if shared {
            for row in try await sql.select().columns("ticket_id", "alarms").from("sla_plans")
                .where("ticket_id", .in, tickets.map(\.id)).all()
            {
                stored[try row.decode(column: "ticket_id", as: UUID.self)] = try row.decode(
                    column: "alarms",
                    as: String.self
                )
            }
        }
        let ids = tickets.map(\.id)
        var histories: [UUID: [TicketEvent]] = [:]
        for event in try await sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) }).from("ticket_events")
            .where("ticket_id", .in, ids).where("kind", .in, TicketClocks.eventKinds.map(\.rawValue)).orderBy("seq")
            .all(decoding: TicketEventRow.self, with: decoder)
        {
            histories[event.ticketId, default: []].append(event.domain)
        }
        let outcomes = try await Self.plan(tickets, histories: histories, stored: stored, planner: planner)
        let deadlines = outcomes.compactMap { $0.deadline.map { ($0.0, $0.1) } }
        let changed = outcomes.compactMap { $0.alarms }
        try await updateDeadlines(deadlines, on: sql)
        try await SLAAlarmRepository.upsert(changed, on: sql)
        return (last, Set(deadlines.map(\.0) + changed.map(\.0)).count)
    }

    /// What replanning one ticket changes: its deadline, its stored alarms, or neither.
    private struct Outcome: Sendable {
        var deadline: (UUID, Date?)?
        var alarms: (UUID, SLAAlarmRepository.Encoded)?
    }

    /// Replans many tickets on every core; `stored` holds their alarms as stored.
    private static func plan(
        _ tickets: [Ticket],
        histories: [UUID: [TicketEvent]],
        stored: [UUID: String],
        planner: any SLAPlanner
    ) async throws -> [Outcome] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, tickets.count / 100))
        let size = (tickets.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int, [Outcome]).self) { group in
            for part in 0..<parts {
                let slice = tickets[min(part * size, tickets.count)..<min((part + 1) * size, tickets.count)]
                group.addTask {
                    (
                        part,
                        try slice.map { ticket in
                            let plan = planner.plan(for: ticket, history: histories[ticket.id] ?? [])
                            var outcome = Outcome()
                            if plan.nextDeadline != ticket.nextDeadline {
                                outcome.deadline = (ticket.id, plan.nextDeadline)
                            }
                            let before = stored[ticket.id]
                            // Most plans have nothing fired yet; then the new alarms replace the stored ones as they are.
                            let entries =
                                if let before, SLAAlarmRepository.hasFired(before) {
                                    SLAAlarmRepository.merge(try SLAAlarmRepository.decode(before), with: plan.alarms)
                                } else {
                                    plan.alarms.map(SLAAlarmRepository.Entry.init)
                                }
                            let encoded = SLAAlarmRepository.Encoded(entries)
                            if before.map({ encoded.alarms != $0 }) ?? !entries.isEmpty {
                                outcome.alarms = (ticket.id, encoded)
                            }
                            return outcome
                        }
                    )
                }
            }
            var results = [[Outcome]](repeating: [], count: parts)
            for try await (part, outcomes) in group { results[part] = outcomes }
            return results.flatMap { $0 }
        }
    }

    /// The columns the SLA depends on (see ``SLAPlanner``); titles and descriptions are not read.
    private static let planningColumns = [
        "id", "number", "organisation_id", "service_id", "priority", "severity", "status", "group_name", "owner_id",
        "version", "created_at", "updated_at", "next_deadline", "type", "requested_by", "tags",
    ]

    /// A ticket with the fields planning reads; the others hold placeholders.
    private static func planningTicket(_ row: any SQLRow) throws -> Ticket {
        let organisation = try row.decode(column: "organisation_id", as: UUID.self)
        var ticket = Ticket(
            id: try row.decode(column: "id", as: UUID.self),
            number: try row.decode(column: "number", as: Int.self),
            type: TicketType(rawValue: try row.decode(column: "type", as: String.self)) ?? .incident,
            channel: .api,
            title: "",
            description: "",
            requesterID: organisation,
            organisationID: organisation,
            serviceID: try row.decode(column: "service_id", as: UUID?.self),
            impact: .medium,
            urgency: .medium,
            priority: Priority(rawValue: try row.decode(column: "priority", as: String.self)) ?? .p3,
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .sev3,
            status: TicketStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
            tier: .l1,
            group: try row.decode(column: "group_name", as: String?.self),
            ownerID: try row.decode(column: "owner_id", as: UUID?.self),
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: try row.decode(column: "requested_by", as: Date?.self),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
        ticket.nextDeadline = try row.decode(column: "next_deadline", as: Date?.self)
        let tags = try row.decode(column: "tags", as: String.self)
        ticket.tags = tags.isEmpty ? [] : tags.split(separator: ",").map(String.init)
        return ticket
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
        query.appendLiteral(
            ") UPDATE \"tickets\" SET \"next_deadline\" = v.deadline FROM v WHERE \"tickets\".\"id\" = v.id"
        )
        try await sql.raw(query).run()
    }
}
