import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Pages and their escalation. Every step is sent in one transaction that moves the page on and queues
/// its messages: the move is conditional on the step not having moved (and on PostgreSQL the due pages are
/// claimed with `FOR UPDATE SKIP LOCKED`), and each message's key names page, step, person and method, so
/// no step is queued twice by two instances or after a restart. Acknowledging or resolving stops the
/// chain and cancels the page's messages still waiting in the outbox.
public struct PageRepository: Sendable {
    let database: TierdeskDatabase
    let messenger: PageMessenger
    /// Called after a transaction that queued messages has committed; wakes the outbox sender.
    let queued: @Sendable () -> Void

    public init(_ database: TierdeskDatabase, messenger: PageMessenger, queued: @escaping @Sendable () -> Void) {
        self.database = database
        self.messenger = messenger
        self.queued = queued
    }

    static let columns = [
        "id", "ticket_id", "policy_id", "title", "severity", "origin", "status", "started_at", "started_by",
        "next_step", "next_step_at", "acknowledged_by", "acknowledged_at", "resolved_at", "person_id",
    ]

    // MARK: Starting

    /// Starts a page by hand and sends its first step at once.
    public func start(ticketID: UUID?, policyID: UUID, title: String, severity: Severity, by actor: UUID?, at now: Date)
        async throws -> OnCallPage
    {
        let page = OnCallPage(
            ticketID: ticketID,
            policyID: policyID,
            title: String(title.prefix(OnCallPage.maxTitle)),
            severity: severity,
            origin: .manual,
            startedAt: now,
            startedBy: actor,
            nextStepAt: now
        )
        let sent = try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.insert([page], on: sql)
            return try await Self.dispatch([page], messenger: messenger, at: now, on: sql)
        }
        if sent > 0 { queued() }
        return try await find(page.id) ?? page
    }

    /// Inside a ticket write: starts a page for each ticket the write made Sev1 or Sev2 (see
    /// ``Page/startsPage(_:events:)``) that has none open and whose severity has a policy, sends the first
    /// steps, and resolves the pages of tickets the write resolved or closed. Says whether messages were queued.
    static func follow(
        _ writes: [(ticket: Ticket, events: [TicketEvent])],
        messenger: PageMessenger,
        on sql: any SQLDatabase
    ) async throws -> Bool {
        let ended = writes.filter { write in
            !write.ticket.status.isOpen && write.events.contains { $0.kind == .statusChanged }
        }
        for write in ended {
            try await end(
                where: { $0.where("ticket_id", .equal, write.ticket.id) },
                as: .resolved,
                by: nil,
                detail: "ticket \(write.ticket.reference) was \(write.ticket.status.rawValue)",
                at: write.events.last?.at ?? write.ticket.updatedAt,
                on: sql
            )
        }
        let starting = writes.filter { OnCallPage.startsPage($0.ticket, events: $0.events) }
        guard !starting.isEmpty else { return false }
        let settings = try await SettingsRepository.paging(on: sql)
        let candidates = starting.filter { settings.policy(for: $0.ticket.severity) != nil }
        guard !candidates.isEmpty else { return false }
        let open = Set(
            try await sql.select().column("ticket_id").from("pages")
                .where("ticket_id", .in, SQLBind.group(candidates.map(\.ticket.id)))
                .where("status", .notEqual, OnCallPage.Status.resolved.rawValue).all()
                .map { try $0.decode(column: "ticket_id", as: UUID.self) }
        )
        var pages: [OnCallPage] = []
        for (ticket, events) in candidates
        where !open.contains(ticket.id) && !pages.contains(where: { $0.ticketID == ticket.id }) {
            let at = events.last?.at ?? ticket.updatedAt
            pages.append(
                OnCallPage(
                    ticketID: ticket.id,
                    policyID: settings.policy(for: ticket.severity)!,
                    title: ticket.title,
                    severity: ticket.severity,
                    origin: .severity,
                    startedAt: at,
                    nextStepAt: at
                )
            )
        }
        guard !pages.isEmpty else { return false }
        try await insert(pages, on: sql)
        return try await dispatch(
            pages,
            messenger: messenger,
            at: pages.map(\.startedAt).max()!,
            settings: settings,
            on: sql
        ) > 0
    }

    /// Inside another write: starts `page` and sends its first step. Says whether messages were queued.
    static func start(_ page: OnCallPage, messenger: PageMessenger, on sql: any SQLDatabase) async throws -> Bool {
        try await insert([page], on: sql)
        return try await dispatch([page], messenger: messenger, at: page.startedAt, on: sql) > 0
    }

    private static func insert(_ pages: [OnCallPage], on sql: any SQLDatabase) async throws {
        let insert = sql.insert(into: "pages").columns(columns)
        for p in pages {
            insert.values(
                SQLBind(p.id),
                SQLBind(p.ticketID),
                SQLBind(p.policyID),
                SQLBind(p.title),
                SQLBind(p.severity.rawValue),
                SQLBind(p.origin.rawValue),
                SQLBind(p.status.rawValue),
                SQLBind(p.startedAt),
                SQLBind(p.startedBy),
                SQLBind(p.nextStep),
                SQLBind(p.nextStepAt),
                SQLBind(p.acknowledgedBy),
                SQLBind(p.acknowledgedAt),
                SQLBind(p.resolvedAt),
                SQLBind(p.personID)
            )
        }
        try await insert.run()
        try await insertEvents(
            pages.map {
                PageEvent(
                    pageID: $0.id,
                    at: $0.startedAt,
                    kind: .started,
                    personID: $0.startedBy,
                    detail: $0.origin.rawValue
                )
            },
            on: sql
        )
    }

    // MARK: Escalating

    /// Sends the due step of every page that has one, a few pages per transaction. Returns how many steps were sent.
    public func dispatchDue(at now: Date, limit: Int = 16) async throws -> Int {
        let sent = try await database.write { db in
            let sql = db as! any SQLDatabase
            let select = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("pages")
                .where("status", .equal, OnCallPage.Status.triggered.rawValue)
                .where("next_step_at", .lessThanOrEqual, SQLBind(now))
                .orderBy("next_step_at").limit(limit)
            select.lockedForUpdate(on: sql.engine, skipLocked: true)
            let pages = try await select.all().map(Self.page)
            return try await Self.dispatch(pages, messenger: messenger, at: now, on: sql)
        }
        if sent > 0 { queued() }
        return sent
    }

    /// When the next step of any page falls due.
    public func nextStepAt() async throws -> Date? {
        try await database.sql.select().column(SQLFunction("MIN", args: SQLColumn("next_step_at")), as: "next")
            .from("pages")
            .where("status", .equal, OnCallPage.Status.triggered.rawValue).first(decodingColumn: "next", as: Date?.self)
            ?? nil
    }

    /// Moves each page on by its due step and queues that step's messages. Returns the number of steps that notified someone.
    private static func dispatch(
        _ pages: [OnCallPage],
        messenger: PageMessenger,
        at now: Date,
        settings known: PagingSettings? = nil,
        on sql: any SQLDatabase
    ) async throws -> Int {
        guard !pages.isEmpty else { return 0 }
        let policies = Dictionary(
            uniqueKeysWithValues: try await OnCallRepository.policies(Array(Set(pages.map(\.policyID))), on: sql)
                .map { ($0.id, $0) }
        )
        // A page to one person first walks its own chain: that person, then the policy's steps.
        let chain = { (page: OnCallPage) in
            policies[page.policyID].map { policy in page.personID.map(policy.paging(first:)) ?? policy }
        }
        let schedules = try await OnCallRepository.schedules(
            Set(policies.values.flatMap(\.scheduleIDs)),
            from: now,
            until: now.addingTimeInterval(1),
            on: sql
        )
        // Everyone a due step could name, read once: a step whose people left is skipped, not waited on.
        let candidates = Set(
            pages.compactMap(chain)
                .flatMap { policy in
                    policy.steps.flatMap { PageDispatch.recipients(of: $0.target, schedules: schedules, at: now) }
                }
        )
        let people = Dictionary(
            uniqueKeysWithValues: try await DirectoryRepository.people(ids: candidates, on: sql as! any Database)
                .map { ($0.id, $0) }
        )
        var planned: [(OnCallPage, PageDispatch)] = []
        var events: [PageEvent] = []
        for page in pages {
            guard let policy = chain(page),
                let dispatch = PageDispatch.due(
                    page,
                    policy: policy,
                    schedules: schedules,
                    at: now,
                    reachable: { people[$0]?.active == true }
                )
            else { continue }
            let moved =
                try await sql.update("pages").set("next_step", to: SQLBind(dispatch.nextStep))
                .set("next_step_at", to: SQLBind(dispatch.nextStepAt))
                .where("id", .equal, page.id).where("next_step", .equal, SQLBind(page.nextStep))
                .where("status", .equal, OnCallPage.Status.triggered.rawValue)
                .returning("id").all().count == 1
            guard moved else { continue }
            events += dispatch.skipped.map {
                PageEvent(pageID: page.id, at: now, kind: .skipped, step: $0, detail: "nobody on call who can be paged")
            }
            if dispatch.step == nil {
                events.append(
                    PageEvent(
                        pageID: page.id,
                        at: now,
                        kind: .exhausted,
                        step: dispatch.nextStep,
                        detail: "nobody left to notify"
                    )
                )
            }
            planned.append((page, dispatch))
        }
        let notifying = planned.filter { $0.1.step != nil }
        var messages: [OutboxMessage] = []
        if !notifying.isEmpty {
            let settings: PagingSettings
            if let known { settings = known } else { settings = try await SettingsRepository.paging(on: sql) }
            let recipients = Set(notifying.flatMap(\.1.recipients))
            let contacts = try await OnCallRepository.contacts(recipients, on: sql)
            let references = try await Self.references(Set(notifying.compactMap(\.0.ticketID)), on: sql)
            for (page, dispatch) in notifying {
                let (queued, notes) = try messenger.notify(
                    page,
                    step: dispatch.step!,
                    recipients: dispatch.recipients,
                    people: people,
                    contacts: contacts,
                    settings: settings,
                    ticketReference: page.ticketID.flatMap { references[$0] },
                    at: now
                )
                messages += queued
                events += notes
            }
        }
        try await OutboxRepository.insert(messages, on: sql)
        try await insertEvents(events, on: sql)
        return notifying.count
    }

    /// The references (`TD-12`) of the tickets of pages.
    public func references(of pages: [OnCallPage]) async throws -> [UUID: String] {
        try await Self.references(Set(pages.compactMap(\.ticketID)), on: database.sql)
    }

    private static func references(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: String] = [:]
        for row in try await sql.select().columns("id", "number").from("tickets")
            .where("id", .in, SQLBind.group(Array(ids))).all()
        {
            result[try row.decode(column: "id", as: UUID.self)] = TicketReference.format(
                try row.decode(column: "number", as: Int.self)
            )
        }
        return result
    }

    // MARK: Stopping

    /// What acknowledging or resolving did.
    public enum Outcome: Sendable, Equatable {
        /// The page moved to the new status now.
        case changed(OnCallPage)
        /// The page was already there (or further on); nothing changed.
        case unchanged(OnCallPage)
        case notFound
    }

    /// Acknowledges a triggered page: no further step is sent, and its messages still queued are cancelled.
    public func acknowledge(_ id: UUID, by person: UUID, at now: Date) async throws -> Outcome {
        try await stop(id, as: .acknowledged, by: person, at: now)
    }

    /// Resolves a page that is not yet resolved.
    public func resolve(_ id: UUID, by person: UUID?, at now: Date) async throws -> Outcome {
        try await stop(id, as: .resolved, by: person, at: now)
    }

    private func stop(_ id: UUID, as status: OnCallPage.Status, by person: UUID?, at now: Date) async throws -> Outcome
    {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let ended = try await Self.end(
                where: { $0.where("id", .equal, id) },
                as: status,
                by: person,
                detail: nil,
                at: now,
                on: sql
            )
            if let page = ended.first {
                if status == .acknowledged, let ticket = page.ticketID, let person {
                    try await IncidentRepository.takeLead(covering: ticket, person: person, at: now, on: sql)
                }
                return .changed(page)
            }
            guard
                let page = try await sql.select().columns(Self.columns.map { SQLColumn($0) }).from("pages")
                    .where("id", .equal, id).first().map(Self.page)
            else { return .notFound }
            return .unchanged(page)
        }
    }

    /// Moves the matching pages that are not yet at `status` (or past it) there, cancels their queued messages and records it.
    @discardableResult
    private static func end(
        where filter: (SQLUpdateBuilder) -> SQLUpdateBuilder,
        as status: OnCallPage.Status,
        by person: UUID?,
        detail: String?,
        at now: Date,
        on sql: any SQLDatabase
    ) async throws -> [OnCallPage] {
        let update = sql.update("pages").set("status", to: SQLBind(status.rawValue))
            .set("next_step_at", to: SQLLiteral.null)
        switch status {
        case .acknowledged:
            update.set("acknowledged_by", to: SQLBind(person)).set("acknowledged_at", to: SQLBind(now))
                .where("status", .equal, OnCallPage.Status.triggered.rawValue)
        case .resolved:
            update.set("resolved_at", to: SQLBind(now)).where("status", .notEqual, OnCallPage.Status.resolved.rawValue)
        case .triggered:
            return []
        }
        let pages = try await filter(update).returning(columns.map { SQLColumn($0) }).all().map(page)
        guard !pages.isEmpty else { return [] }
        try await sql.update("outbox").set("status", to: SQLBind(OutboxMessage.Status.cancelled.rawValue))
            .set("last_error", to: SQLBind("page \(status.rawValue)"))
            .where("page_id", .in, SQLBind.group(pages.map(\.id)))
            .where("status", .equal, OutboxMessage.Status.pending.rawValue).run()
        try await insertEvents(
            pages.map {
                PageEvent(
                    pageID: $0.id,
                    at: now,
                    kind: status == .acknowledged ? .acknowledged : .resolved,
                    personID: person,
                    detail: detail
                )
            },
            on: sql
        )
        return pages
    }

    // MARK: Reading

    public func find(_ id: UUID) async throws -> OnCallPage? {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("pages")
            .where("id", .equal, id).first().map(Self.page)
    }

    /// Pages, newest first; only those in `statuses` when given.
    public func list(statuses: Set<OnCallPage.Status>? = nil, ticketID: UUID? = nil, limit: Int = 100) async throws
        -> [OnCallPage]
    {
        let select = database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("pages")
        if let statuses { select.where("status", .in, SQLBind.group(statuses.map(\.rawValue).sorted())) }
        if let ticketID { select.where("ticket_id", .equal, ticketID) }
        return try await select.orderBy("started_at", .descending).orderBy("id").limit(limit).all().map(Self.page)
    }

    /// Pages acknowledged by someone whose stretch (acknowledged until resolved, or still open) overlaps a
    /// range: the page part of time off in lieu.
    /// Only those `person` acknowledged, when given.
    public func acknowledged(overlapping range: Range<Date>, by person: UUID? = nil) async throws -> [OnCallPage] {
        let select = database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("pages")
            .where("acknowledged_at", .lessThan, SQLBind(range.upperBound))
            .where {
                $0.where("resolved_at", .is, SQLLiteral.null)
                    .orWhere("resolved_at", .greaterThan, SQLBind(range.lowerBound))
            }
        if let person { select.where("acknowledged_by", .equal, SQLBind(person)) }
        return try await select.orderBy("acknowledged_at").all().map(Self.page)
    }

    /// The notifications sent to people (or to `person`) in a range, oldest first.
    public func notifications(in range: Range<Date>, to person: UUID? = nil) async throws -> [PageEvent] {
        try await eventRows { select in
            if let person { select.where("person_id", .equal, SQLBind(person)) }
            return select.where("kind", .equal, PageEvent.Kind.notified.rawValue)
                .where("at", .greaterThanOrEqual, SQLBind(range.lowerBound))
                .where("at", .lessThan, SQLBind(range.upperBound))
        }
    }

    /// A page's history, oldest first.
    public func events(of id: UUID) async throws -> [PageEvent] {
        try await eventRows { $0.where("page_id", .equal, id) }
    }

    private func eventRows(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [PageEvent] {
        try await filter(
            database.sql.select().columns("id", "page_id", "at", "kind", "step", "person_id", "detail")
                .from("page_events")
        )
        .orderBy("at").all()
        .map { row in
            PageEvent(
                id: try row.decode(column: "id", as: UUID.self),
                pageID: try row.decode(column: "page_id", as: UUID.self),
                at: try row.decode(column: "at", as: Date.self),
                kind: PageEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .notified,
                step: try row.decode(column: "step", as: Int?.self),
                personID: try row.decode(column: "person_id", as: UUID?.self),
                detail: try row.decode(column: "detail", as: String?.self)
            )
        }
        .sorted(by: PageEvent.chronological)
    }

    private static func insertEvents(_ events: [PageEvent], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let insert = sql.insert(into: "page_events")
            .columns("id", "page_id", "at", "kind", "step", "person_id", "detail")
        for e in events {
            insert.values(
                SQLBind(e.id),
                SQLBind(e.pageID),
                SQLBind(e.at),
                SQLBind(e.kind.rawValue),
                SQLBind(e.step),
                SQLBind(e.personID),
                SQLBind(e.detail.map { String($0.prefix(500)) })
            )
        }
        try await insert.run()
    }

    static func page(_ row: any SQLRow) throws -> OnCallPage {
        OnCallPage(
            id: try row.decode(column: "id", as: UUID.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID?.self),
            policyID: try row.decode(column: "policy_id", as: UUID.self),
            title: try row.decode(column: "title", as: String.self),
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .sev1,
            origin: OnCallPage.Origin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .manual,
            status: OnCallPage.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .triggered,
            startedAt: try row.decode(column: "started_at", as: Date.self),
            startedBy: try row.decode(column: "started_by", as: UUID?.self),
            nextStep: try row.decode(column: "next_step", as: Int.self),
            nextStepAt: try row.decode(column: "next_step_at", as: Date?.self),
            acknowledgedBy: try row.decode(column: "acknowledged_by", as: UUID?.self),
            acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date?.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Date?.self),
            personID: try row.decode(column: "person_id", as: UUID?.self)
        )
    }
}
