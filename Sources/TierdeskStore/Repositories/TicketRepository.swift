import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Tickets and their events. Every write is one transaction: the ticket row, its events, the counter and
/// the write's ``TicketWriteEffects`` (deadline, alarms, mail, webhooks, pages) move together.
public struct TicketRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Rows spell out their column names (see ``TicketRow/CodingKeys``).
    static let encoder = SQLQueryEncoder(nilEncodingStrategy: .asNil)
    static let decoder = SQLRowDecoder()
    /// Rows whose keys are camel case versions of the column names.
    static let snakeCaseDecoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    /// Opens a ticket: takes the next reference number, lets `build` make the ticket and its event, stores both.
    /// Concurrent calls are committed together (see ``TicketCreation``).
    public func create(
        effects: TicketWriteEffects,
        _ build: @escaping @Sendable (_ number: Int) throws -> (Ticket, TicketEvent)
    ) async throws -> Ticket {
        try await create(effects: effects) { number in
            let (ticket, event) = try build(number)
            return (ticket, [event])
        }
    }

    /// Opens a ticket whose opening records several events (the creation, then what triage rules did).
    public func create(
        effects: TicketWriteEffects,
        extras: TicketWriteExtras = .none,
        _ build: @escaping @Sendable (_ number: Int) throws -> (Ticket, [TicketEvent])
    ) async throws -> Ticket {
        try await database.creations.submit(Self.prepare(effects: effects, extras: extras, build), to: database)
    }

    /// A ticket build as the creation queue stores it: with its deadline, first alarms and effects.
    static func prepare(
        effects: TicketWriteEffects,
        extras: TicketWriteExtras,
        _ build: @escaping @Sendable (_ number: Int) throws -> (Ticket, [TicketEvent])
    ) -> TicketCreation.Build {
        { number in
            var (ticket, events) = try build(number)
            let plan = effects.planner.plan(for: ticket, history: events)
            ticket.nextDeadline = plan.nextDeadline
            return .init(ticket: ticket, events: events, alarms: plan.alarms, extras: extras, effects: effects)
        }
    }

    /// The ticket with this reference number.
    public func find(number: Int) async throws -> Ticket? {
        try await database.sql.select().columns(TicketRow.columns.map { SQLColumn($0) })
            .from("tickets").where("number", .equal, number)
            .first(decoding: TicketRow.self, with: Self.decoder)?
            .domain
    }

    /// The ticket with this id.
    public func find(id: UUID) async throws -> Ticket? {
        try await database.sql.select().columns(TicketRow.columns.map { SQLColumn($0) })
            .from("tickets").where("id", .equal, id)
            .first(decoding: TicketRow.self, with: Self.decoder)?
            .domain
    }

    /// The ticket with this reference number and the facts access decisions need.
    public func findScoped(number: Int) async throws -> (Ticket, TicketScope)? {
        guard let cache = database.ticketCache else {
            return try await Self.findScoped(number: number, on: database.sql, lock: false)
        }
        switch cache.get(number) {
        case .success(let cached):
            return cached
        case .failure(let generation):
            let found = try await Self.findScoped(number: number, on: database.sql, lock: false)
            if let found { cache.put(number, found, ifGeneration: generation) }
            return found
        }
    }

    /// The ticket-with-scope query up to its parameter; built once, as it runs on every ticket request.
    private static let scopedSelect: String = {
        let columns = TicketRow.columns.map { "t.\"\($0)\"" }.joined(separator: ", ")
        return
            "SELECT \(columns), o.\"shares_tickets\" FROM \"tickets\" t JOIN \"organisations\" o ON t.\"organisation_id\" = o.\"id\" WHERE t.\"number\" = "
    }()

    static func findScoped(number: Int, on sql: any SQLDatabase, lock: Bool) async throws -> (Ticket, TicketScope)? {
        var text = SQLQueryString(scopedSelect)
        text.appendInterpolation(bind: number)
        if lock, sql.engine.hasConcurrentWriters { text.appendLiteral(" FOR UPDATE OF t") }
        guard let row = try await sql.raw(text).first() else { return nil }
        let ticket = try row.decode(model: TicketRow.self, with: decoder).domain
        let shares = try row.decode(column: "shares_tickets", as: Bool.self)
        return (
            ticket,
            TicketScope(
                requesterID: ticket.requesterID,
                organisationID: ticket.organisationID,
                organisationSharesTickets: shares,
                vendorID: ticket.vendorID
            )
        )
    }

    /// Changes a ticket in one transaction. `change` gets the current state (locked against other writers)
    /// and returns the new state and its events; an empty event list stores nothing.
    @discardableResult
    public func modify(
        number: Int,
        effects: TicketWriteEffects,
        extras: TicketWriteExtras = .none,
        _ change: @escaping @Sendable (Ticket, TicketScope) throws -> (Ticket, [TicketEvent])
    ) async throws -> (Ticket, [TicketEvent]) {
        // The entry is dropped before and after the write, so no reader keeps a state older than the commit.
        database.ticketCache?.remove(number)
        defer { database.ticketCache?.remove(number) }
        let (result, mailed) = try await database.write { db in
            try await Self.modify(number: number, effects: effects, extras: extras, on: db as! any SQLDatabase, change)
        }
        if mailed { effects.queued() }
        return result
    }

    /// ``modify(number:effects:extras:_:)`` inside a write the caller runs; also returns whether mail or webhooks
    /// were queued, so the caller can wake the sender once the write has committed.
    static func modify(
        number: Int,
        effects: TicketWriteEffects,
        extras: TicketWriteExtras,
        on sql: any SQLDatabase,
        _ change: @Sendable (Ticket, TicketScope) throws -> (Ticket, [TicketEvent])
    ) async throws -> ((Ticket, [TicketEvent]), Bool) {
        guard let (current, scope) = try await Self.findScoped(number: number, on: sql, lock: true) else {
            throw TierdeskError.notFound("No ticket \(TicketReference.format(number)).")
        }
        var (next, events) = try change(current, scope)
        guard !events.isEmpty else { return ((current, [TicketEvent]()), false) }
        events += try await extras.store(ticket: current, at: events[events.count - 1].at, on: sql)
        let history = try await Self.events(ticketID: current.id, includeInternal: true, on: sql) + events
        let plan = effects.planner.plan(for: next, history: history)
        next.nextDeadline = plan.nextDeadline
        try await SLAAlarmRepository.replacePending(ticketID: next.id, with: plan.alarms, on: sql)
        let updated = try await sql.update("tickets")
            .set(model: TicketRow(next), with: Self.encoder)
            .where("id", .equal, current.id)
            .where("version", .equal, current.version)
            .returning("id")
            .all()
        guard !updated.isEmpty else {
            throw TierdeskError.conflict(
                "\(current.reference) was changed by someone else at the same moment. Reload it and apply your change again."
            )
        }
        try await Self.insert(events, on: sql)
        let queued = try await effects.enqueue([.init(ticket: next, events: events, extras: extras)], on: sql)
        return ((next, events), queued)
    }

    static func insert(_ events: [TicketEvent], on sql: any SQLDatabase) async throws {
        try await insert(events.map(TicketEventRow.init), on: sql)
    }

    /// Ticket rows in one statement each `maxTicketRows`, their values bound directly.
    static func insert(_ rows: [TicketRow], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: maxTicketRows) {
            let insert = sql.insert(into: "tickets").columns(TicketRow.columns)
            for row in rows[start..<min(start + maxTicketRows, rows.count)] { insert.values(row.values) }
            try await insert.run()
        }
    }

    /// Ticket rows in one insert: SQLite allows 32,766 bound values and a ticket row has 31.
    static let maxTicketRows = 1_000

    /// Event rows in one statement each `maxEventRows`, their values bound directly.
    static func insert(_ rows: [TicketEventRow], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: maxEventRows) {
            let insert = sql.insert(into: "ticket_events").columns(TicketEventRow.columns)
            for row in rows[start..<min(start + maxEventRows, rows.count)] { insert.values(row.values) }
            try await insert.run()
        }
    }

    /// Event rows in one insert: SQLite allows 32,766 bound values and an event row has 11.
    static let maxEventRows = 2_900

    /// A page of tickets, newest first (or by deadline, or oldest first), limited to what `visibility` allows.
    /// Every order reads an index and continues from a cursor, so a page costs the same at any table size.
    /// By deadline, the tickets with one come first, soonest first, then those without, by number.
    /// With free text the list is a ranked search instead (``search(_:_:visibility:)``), one page long.
    public func list(_ query: TicketQuery, visibility: TicketVisibility) async throws -> [Ticket] {
        if case .nothing = visibility { return [] }
        if let text = query.text, !text.isEmpty { return try await search(text, query, visibility: visibility) }
        var tickets: [Ticket] = []
        for select in statements(query, visibility) {
            let remaining = query.limit - tickets.count
            guard remaining > 0 else { break }
            tickets += try await select.limit(remaining).all(decoding: TicketRow.self, with: Self.decoder).map(\.domain)
        }
        return tickets
    }

    /// The statements a list runs, in order, until its page is full: one, or two by deadline (the part of
    /// the tickets with a deadline and the part without, each a range of an index after the cursor).
    func statements(_ query: TicketQuery, _ visibility: TicketVisibility) -> [SQLSelectBuilder] {
        guard query.byDeadline else {
            let select = filtered(query, visibility)
            if query.oldestFirst {
                if let after = query.afterNumber { select.where("number", .greaterThan, after) }
                select.orderBy("number", .ascending)
            } else {
                if let before = query.beforeNumber { select.where("number", .lessThan, before) }
                select.orderBy("number", .descending)
            }
            return [select]
        }
        var statements: [SQLSelectBuilder] = []
        let cursor = query.afterDeadline
        if cursor == nil || cursor?.deadline != nil {
            let dated = filtered(query, visibility).where("next_deadline", .isNot, SQLLiteral.null)
            if let cursor, let deadline = cursor.deadline {
                dated.where(
                    SQLQueryString("(next_deadline, number) > (\(bind: deadline), \(bind: cursor.number))")
                )
            }
            statements.append(dated.orderBy("next_deadline", .ascending).orderBy("number", .ascending))
        }
        let undated = filtered(query, visibility).where("next_deadline", .is, SQLLiteral.null)
        if let cursor, cursor.deadline == nil { undated.where("number", .greaterThan, cursor.number) }
        statements.append(undated.orderBy("number", .ascending))
        return statements
    }

    /// How the database plans each statement of a list: SQLite's `EXPLAIN QUERY PLAN` details, or
    /// PostgreSQL's `EXPLAIN` lines with sequential scans disabled (so a tiny test table still shows
    /// whether an index can serve the query). For the tests that keep queues off full scans.
    func plans(_ query: TicketQuery, _ visibility: TicketVisibility) async throws -> [[String]] {
        try await plans(of: statements(query, visibility).map { $0.limit(query.limit) })
    }

    /// How the database plans each of `statements` (see ``plans(_:_:)``).
    func plans(of statements: [SQLSelectBuilder]) async throws -> [[String]] {
        var plans: [[String]] = []
        for select in statements {
            let statement = select.query
            plans.append(
                try await database.write { db in
                    let sql = db as! any SQLDatabase
                    if sql.engine == .sqlite {
                        return try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN \(statement)")).all()
                            .map { try $0.decode(column: "detail", as: String.self) }
                    }
                    try await sql.raw("SET LOCAL enable_seqscan = off").run()
                    return try await sql.raw(SQLQueryString("EXPLAIN \(statement)")).all()
                        .map { try $0.decode(column: "QUERY PLAN", as: String.self) }
                }
            )
        }
        return plans
    }

    /// The open tickets' condition in the words of the queue indexes' own (``M022_IndexOpenQueues``), so
    /// both planners use them.
    static let openTerm = SQLRaw(M022_IndexOpenQueues.open)

    /// Tickets matching the query's filters and the visibility, not yet ordered.
    func filtered(_ query: TicketQuery, _ visibility: TicketVisibility) -> SQLSelectBuilder {
        Self.narrow(
            database.sql.select().columns(TicketRow.columns.map { SQLColumn($0) }).from("tickets"),
            query,
            visibility
        )
    }

    /// `select` (from `tickets`, or a join where the ticket columns need no table name) narrowed to the
    /// tickets `visibility` allows and the query's filters; the free text is answered by ``search``.
    static func narrow(
        _ select: SQLSelectBuilder,
        _ query: TicketQuery,
        _ visibility: TicketVisibility
    ) -> SQLSelectBuilder {
        switch visibility {
        case .all, .nothing:
            break
        case .requester(let person, let organisation?):
            select.where { $0.where("requester_id", .equal, person).orWhere("organisation_id", .equal, organisation) }
        case .requester(let person, nil):
            select.where("requester_id", .equal, person)
        case .vendor(let vendor):
            select.where("vendor_id", .equal, vendor)
        }
        if !query.statuses.isEmpty { select.where("status", .in, query.statuses.map(\.rawValue)) }
        if query.openOnly || (!query.statuses.isEmpty && query.statuses.allSatisfy(\.isOpen)) {
            select.where(Self.openTerm)
        }
        if let tier = query.tier { select.where("tier", .equal, tier.rawValue) }
        if let priority = query.priority { select.where("priority", .equal, priority.rawValue) }
        switch query.owner {
        case .person(let id)?: select.where("owner_id", .equal, id)
        case .nobody?: select.where("owner_id", .is, SQLLiteral.null)
        case nil: break
        }
        if let organisation = query.organisationID { select.where("organisation_id", .equal, organisation) }
        if let service = query.serviceID { select.where("service_id", .equal, service) }
        if let group = query.group { select.where("group_name", .equal, group) }
        if let from = query.createdFrom { select.where("created_at", .greaterThanOrEqual, from) }
        if let before = query.createdBefore { select.where("created_at", .lessThan, before) }
        return select
    }

    /// The `ownerId` events written in `[from, to)`, with their tickets' numbers, for the triage report.
    public func ownerEvents(from: Date, to: Date) async throws -> [(ticketNumber: Int, event: TicketEvent)] {
        let columns = TicketEventRow.columns.map { SQLColumn($0, table: "e") as any SQLExpression }
        return try await database.sql.select().column(SQLColumn("number", table: "t")).columns(columns)
            .from(SQLAlias(SQLIdentifier("ticket_events"), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("t")),
                on: SQLColumn("ticket_id", table: "e"),
                .equal,
                SQLColumn("id", table: "t")
            )
            .where(SQLColumn("field", table: "e"), .equal, SQLBind("ownerId"))
            .where(SQLColumn("at", table: "e"), .greaterThanOrEqual, SQLBind(from))
            .where(SQLColumn("at", table: "e"), .lessThan, SQLBind(to))
            .orderBy(SQLColumn("seq", table: "e"))
            .all()
            .map { row in
                (
                    try row.decode(column: "number", as: Int.self),
                    try row.decode(model: TicketEventRow.self, with: Self.decoder).domain
                )
            }
    }

    /// The ticket a received mail was stored on, if it was received before.
    public func ticketNumber(receivedMessageID: String) async throws -> Int? {
        try await database.sql.select().column(SQLColumn("number", table: "t"))
            .from(SQLAlias(SQLIdentifier("mail_receipts"), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("t")),
                on: SQLColumn("ticket_id", table: "r"),
                .equal,
                SQLColumn("id", table: "t")
            )
            .where(SQLColumn("message_id", table: "r"), .equal, SQLBind(receivedMessageID))
            .first(decodingColumn: "number", as: Int.self)
    }

    /// The numbers of the tickets `requester` opened through `channel` since `since`, newest first, at most
    /// `limit` (read from the requester-and-creation index, so it costs the same at any table size).
    public func recentNumbers(requester: UUID, channel: Channel, since: Date, limit: Int) async throws -> [Int] {
        try await Self.recentNumbers(
            requester: requester,
            channel: channel,
            since: since,
            limit: limit,
            on: database.sql
        )
    }

    static func recentNumbers(
        requester: UUID,
        channel: Channel,
        since: Date? = nil,
        limit: Int,
        on sql: any SQLDatabase
    ) async throws -> [Int] {
        var select = sql.select().column("number").from("tickets")
            .where("requester_id", .equal, SQLBind(requester)).where("channel", .equal, SQLBind(channel.rawValue))
        if let since { select = select.where("created_at", .greaterThanOrEqual, SQLBind(since)) }
        return try await select.orderBy("created_at", .descending).limit(limit)
            .all(decodingColumn: "number", as: Int.self)
    }

    /// The highest reference number given out so far (1000 before the first ticket).
    public func highestNumber() async throws -> Int {
        try await database.sql.select().column("value").from("counters").where("name", .equal, "ticket")
            .first(decodingColumn: "value", as: Int.self) ?? 1000
    }

    /// Counts stop here: a queue of more open tickets reads "1000+" (``QueueCount``).
    public static let countCap = 1_000

    /// Open tickets per tier, for queue counts, each counted on its index up to ``countCap``.
    public func openCountsByTier() async throws -> [Tier: QueueCount] {
        var counts: [Tier: QueueCount] = [:]
        for tier in Tier.allCases {
            counts[tier] = try await boundedOpenCount(column: "tier", value: tier.rawValue)
        }
        return counts
    }

    /// Open tickets per group, for group queues; tickets without a group are left out. The groups are found
    /// by seeking the group index from one name to the next, and each is counted up to ``countCap``.
    public func openCountsByGroup() async throws -> [(group: String, count: QueueCount)] {
        let open = M022_IndexOpenQueues.open
        let names = try await database.sql
            .raw(
                SQLQueryString(
                    """
                    WITH RECURSIVE g(name) AS (
                    SELECT MIN(group_name) FROM tickets WHERE group_name IS NOT NULL AND \(unsafeRaw: open)
                    UNION ALL
                    SELECT (SELECT MIN(group_name) FROM tickets WHERE group_name > g.name AND \(unsafeRaw: open))
                    FROM g WHERE g.name IS NOT NULL)
                    SELECT name FROM g WHERE name IS NOT NULL
                    """
                )
            )
            .all(decodingColumn: "name", as: String.self)
        var counts: [(group: String, count: QueueCount)] = []
        for name in names.sorted() {
            counts.append((name, try await boundedOpenCount(column: "group_name", value: name)))
        }
        return counts
    }

    private func boundedOpenCount(column: String, value: String) async throws -> QueueCount {
        let inner = database.sql.select().column(SQLLiteral.numeric("1")).from("tickets")
            .where(SQLColumn(column), .equal, SQLBind(value)).where(Self.openTerm)
            .limit(Self.countCap + 1)
        let n =
            try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLGroupExpression(inner.query), as: SQLIdentifier("q")))
            .first(decodingColumn: "n", as: Int.self) ?? 0
        return QueueCount(count: min(n, Self.countCap), more: n > Self.countCap)
    }

    /// A ticket's history, oldest first.
    public func events(ticketID: UUID, includeInternal: Bool) async throws -> [TicketEvent] {
        try await Self.events(ticketID: ticketID, includeInternal: includeInternal, on: database.sql)
    }

    static func events(ticketID: UUID, includeInternal: Bool, on sql: any SQLDatabase) async throws -> [TicketEvent] {
        let select = sql.select().columns(TicketEventRow.columns.map { SQLColumn($0) }).from("ticket_events")
            .where("ticket_id", .equal, ticketID)
        if !includeInternal { select.where("internal", .equal, false) }
        return try await select.orderBy("seq")
            .all(decoding: TicketEventRow.self, with: decoder).map(\.domain)
    }
}
