import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Major incidents with their linked tickets, updates, timeline entries, reviews and subscribers. Every
/// change of an incident is one transaction with what it causes (entries, the update, the subscribers'
/// messages in the outbox, a page), conditional on the version read, so two people or two instances
/// cannot both send the same update or record the same miss.
public struct IncidentRepository: Sendable {
    let database: TierdeskDatabase
    let messenger: PageMessenger
    /// Called after a transaction that queued messages or a page has committed; wakes their senders.
    let queued: @Sendable () -> Void

    public init(_ database: TierdeskDatabase, messenger: PageMessenger, queued: @escaping @Sendable () -> Void) {
        self.database = database
        self.messenger = messenger
        self.queued = queued
    }

    static let columns = [
        "id", "number", "title", "public_title", "severity", "state", "origin", "service_ids", "organisation_ids",
        "lead_id", "comms_lead_id", "declared_at", "declared_by", "next_update_due", "reminded_for", "missed_for",
        "missed_updates", "resolved_at", "closed_at", "version",
    ]

    // MARK: Declaring

    /// Declares `incident` (its number is allocated here) with the tickets it covers and its first entries.
    public func declare(_ incident: MajorIncident, tickets: [UUID], entries: [IncidentEntry]) async throws
        -> MajorIncident
    {
        try await database.write { db in
            try await Self.declare(incident, tickets: tickets, entries: entries, by: incident.declaredBy, on: db.sql)
        }
    }

    static func declare(
        _ incident: MajorIncident,
        tickets: [UUID],
        entries: [IncidentEntry],
        by actor: UUID?,
        on sql: any SQLDatabase
    ) async throws -> MajorIncident {
        guard
            let number =
                try await sql.raw(
                    "UPDATE counters SET value = value + 1 WHERE name = 'incident' RETURNING value"
                )
                .first(decodingColumn: "value", as: Int.self)
        else { throw TierdeskError.conflict("The incident counter is missing; run the migrations.") }
        var declared = incident
        declared.number = number
        try await sql.insert(into: "incidents").columns(columns).values(try values(declared)).run()
        try await link(tickets, to: declared.id, by: actor, at: declared.declaredAt, on: sql)
        try await insert(
            entries.map {
                var entry = $0
                entry.incidentID = declared.id
                return entry
            },
            on: sql
        )
        return declared
    }

    /// Inside a ticket write: declares an incident for each ticket the write made Sev1 (created at Sev1 or
    /// raised to it) that no active incident covers, when the policy asks for it.
    static func follow(_ writes: [(ticket: Ticket, events: [TicketEvent])], on sql: any SQLDatabase) async throws {
        let raised = writes.filter { write in
            write.ticket.status.isOpen && write.ticket.severity == .sev1
                && write.events.contains { event in
                    event.kind == .created
                        || (event.kind == .fieldChanged && event.field == "severity" && event.after == "Sev1")
                }
        }
        guard !raised.isEmpty else { return }
        let policy = try await SettingsRepository.incidentPolicy(on: sql)
        guard policy.declareOnSev1 else { return }
        let covered = Set(
            try await sql.select().column("ticket_id").from("incident_tickets")
                .join("incidents", on: SQLColumn("id", table: "incidents"), .equal, SQLColumn("incident_id"))
                .where(SQLColumn("ticket_id"), .in, SQLBind.group(raised.map(\.ticket.id)))
                .where(
                    SQLColumn("state", table: "incidents"),
                    .notIn,
                    SQLBind.group([MajorIncident.State.resolved.rawValue, MajorIncident.State.closed.rawValue])
                )
                .all().map { try $0.decode(column: "ticket_id", as: UUID.self) }
        )
        for (ticket, events) in raised where !covered.contains(ticket.id) {
            let at = events.last?.at ?? ticket.updatedAt
            let incident = MajorIncident(
                number: 0,
                title: "\(ticket.reference): \(ticket.title)",
                publicTitle: "Service disruption",
                severity: .sev1,
                origin: .sev1Ticket,
                serviceIDs: ticket.serviceID.map { [$0] } ?? [],
                organisationIDs: [ticket.organisationID],
                leadID: ticket.ownerID,
                commsLeadID: nil,
                declaredAt: at,
                declaredBy: nil,
                nextUpdateDue: at.addingTimeInterval(policy.updateInterval(.sev1))
            )
            let entry = IncidentEntry(
                incidentID: incident.id,
                at: at,
                kind: .declared,
                actorID: nil,
                text: "Declared because \(ticket.reference) became Sev1."
            )
            _ = try await declare(incident, tickets: [ticket.id], entries: [entry], by: nil, on: sql)
        }
    }

    /// Inside a page's acknowledgement: whoever acknowledges the page of a ticket that an active incident
    /// without a lead covers takes the lead, and the incident's timeline says so.
    static func takeLead(covering ticket: UUID, person: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        let active = MajorIncident.State.allCases.filter(\.isActive).map(\.rawValue)
        let leaderless = try await sql.select().column(SQLColumn("id", table: "incidents")).from("incidents")
            .join(
                "incident_tickets",
                on: SQLColumn("incident_id", table: "incident_tickets"),
                .equal,
                SQLColumn("id", table: "incidents")
            )
            .where(SQLColumn("ticket_id", table: "incident_tickets"), .equal, SQLBind(ticket))
            .where(SQLColumn("state", table: "incidents"), .in, SQLBind.group(active))
            .where(SQLColumn("lead_id", table: "incidents"), .is, SQLLiteral.null)
            .all().map { try $0.decode(column: "id", as: UUID.self) }
        for id in leaderless {
            let taken = try await sql.update("incidents").set("lead_id", to: SQLBind(person))
                .set("version", to: SQLRaw("\"version\" + 1"))
                .where("id", .equal, id).where("lead_id", .is, SQLLiteral.null).returning("id").all()
            guard !taken.isEmpty else { continue }
            try await insert(
                [
                    IncidentEntry(
                        incidentID: id,
                        at: now,
                        kind: .acknowledged,
                        actorID: person,
                        text: "Acknowledged the page and leads the incident."
                    )
                ],
                on: sql
            )
        }
    }

    // MARK: Reading

    public func find(_ id: UUID) async throws -> MajorIncident? {
        try await select().where("id", .equal, id).first().map(Self.incident)
    }

    public func find(number: Int) async throws -> MajorIncident? {
        try await select().where("number", .equal, number).first().map(Self.incident)
    }

    /// Incidents in `states` (every state when nil), newest first.
    public func list(states: Set<MajorIncident.State>?, limit: Int = 200) async throws -> [MajorIncident] {
        let query = select()
        if let states { query.where("state", .in, states.map(\.rawValue).sorted()) }
        return try await query.orderBy("declared_at", .descending).limit(limit).all().map(Self.incident)
    }

    /// Incidents active now or resolved since `since`, for the status page; newest first.
    public func publishable(since: Date) async throws -> [MajorIncident] {
        try await select()
            .where {
                $0.where("resolved_at", .greaterThanOrEqual, SQLBind(since))
                    .orWhere("state", .in, MajorIncident.State.allCases.filter(\.isActive).map(\.rawValue))
            }
            .orderBy("declared_at", .descending).limit(500).all().map(Self.incident)
    }

    /// Incidents declared in `range`, with how many updates were sent in it and which incidents have a review.
    public func declared(in range: Range<Date>) async throws -> (
        incidents: [MajorIncident], updates: Int, reviewed: Set<UUID>
    ) {
        let incidents = try await select().where("declared_at", .greaterThanOrEqual, SQLBind(range.lowerBound))
            .where("declared_at", .lessThan, SQLBind(range.upperBound)).all().map(Self.incident)
        let updates =
            try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("incident_updates").where("at", .greaterThanOrEqual, SQLBind(range.lowerBound))
            .where("at", .lessThan, SQLBind(range.upperBound)).first(decodingColumn: "n", as: Int.self) ?? 0
        var reviewed: Set<UUID> = []
        if !incidents.isEmpty {
            for row in try await database.sql.select().column("id").from("incidents")
                .where("id", .in, SQLBind.group(incidents.map(\.id))).where("review", .isNot, SQLLiteral.null).all()
            {
                reviewed.insert(try row.decode(column: "id", as: UUID.self))
            }
        }
        return (incidents, updates, reviewed)
    }

    /// The tickets an incident covers, in the order they were linked.
    public func tickets(of incident: UUID) async throws -> [UUID] {
        try await database.sql.select().column("ticket_id").from("incident_tickets")
            .where("incident_id", .equal, incident).orderBy("linked_at").all()
            .map { try $0.decode(column: "ticket_id", as: UUID.self) }
    }

    /// The incidents that cover a ticket.
    public func incidents(covering ticket: UUID) async throws -> [MajorIncident] {
        let ids = try await database.sql.select().column("incident_id").from("incident_tickets")
            .where("ticket_id", .equal, ticket).all().map { try $0.decode(column: "incident_id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await select().where("id", .in, SQLBind.group(ids)).orderBy("declared_at", .descending).all()
            .map(Self.incident)
    }

    /// The updates of incidents, oldest first.
    public func updates(of incidents: [UUID]) async throws -> [UUID: [IncidentUpdate]] {
        guard !incidents.isEmpty else { return [:] }
        let rows = try await database.sql.select()
            .columns("id", "incident_id", "at", "author_id", "state", "message", "no_change", "next_update_due")
            .from("incident_updates").where("incident_id", .in, SQLBind.group(incidents)).orderBy("at").all()
        var result: [UUID: [IncidentUpdate]] = [:]
        for row in rows {
            let update = IncidentUpdate(
                id: try row.decode(column: "id", as: UUID.self),
                incidentID: try row.decode(column: "incident_id", as: UUID.self),
                at: try row.decode(column: "at", as: Date.self),
                authorID: try row.decode(column: "author_id", as: UUID?.self),
                state: MajorIncident.State(rawValue: try row.decode(column: "state", as: String.self))
                    ?? .investigating,
                message: try row.decode(column: "message", as: String.self),
                noChange: try row.decode(column: "no_change", as: Bool.self),
                nextUpdateDue: try row.decode(column: "next_update_due", as: Date?.self)
            )
            result[update.incidentID, default: []].append(update)
        }
        return result
    }

    /// An incident's own timeline entries, oldest first.
    public func entries(of incident: UUID) async throws -> [IncidentEntry] {
        try await database.sql.select().columns("id", "incident_id", "at", "kind", "actor_id", "text")
            .from("incident_entries").where("incident_id", .equal, incident).orderBy("at").all()
            .map { row in
                IncidentEntry(
                    id: try row.decode(column: "id", as: UUID.self),
                    incidentID: try row.decode(column: "incident_id", as: UUID.self),
                    at: try row.decode(column: "at", as: Date.self),
                    kind: IncidentEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                    actorID: try row.decode(column: "actor_id", as: UUID?.self),
                    text: try row.decode(column: "text", as: String.self)
                )
            }
    }

    /// A written review, when and by whom.
    public struct StoredReview: Sendable, Equatable {
        public var review: PostIncidentReview
        public var at: Date
        public var by: UUID?
    }

    public func review(of incident: UUID) async throws -> StoredReview? {
        guard
            let row = try await database.sql.select().columns("review", "review_at", "review_by").from("incidents")
                .where("id", .equal, incident).first(),
            let text = try row.decode(column: "review", as: String?.self)
        else { return nil }
        return StoredReview(
            review: try JSONDecoder().decode(PostIncidentReview.self, from: Data(text.utf8)),
            at: try row.decode(column: "review_at", as: Date.self),
            by: try row.decode(column: "review_by", as: UUID?.self)
        )
    }

    /// Services with at least `threshold` open tickets opened since `since` that no active incident
    /// covers, with those tickets: the burst rule's candidates.
    public func bursts(since: Date, threshold: Int) async throws -> [(service: UUID, tickets: [UUID])] {
        let query: SQLQueryString = """
            SELECT "t"."id", "t"."service_id" FROM "tickets" AS "t"
            WHERE "t"."created_at" >= \(bind: since) AND "t"."service_id" IS NOT NULL
              AND "t"."status" NOT IN ('resolved', 'closed')
              AND NOT EXISTS (SELECT 1 FROM "incident_tickets" AS "l" JOIN "incidents" AS "i" ON "i"."id" = "l"."incident_id"
                  WHERE "l"."ticket_id" = "t"."id" AND "i"."state" NOT IN ('resolved', 'closed'))
            """
        var byService: [UUID: [UUID]] = [:]
        for row in try await database.sql.raw(query).all() {
            byService[try row.decode(column: "service_id", as: UUID.self), default: []]
                .append(try row.decode(column: "id", as: UUID.self))
        }
        return byService.filter { $0.value.count >= threshold }.map { ($0.key, $0.value) }
            .sorted { $0.service.uuidString < $1.service.uuidString }
    }

    // MARK: Changing

    /// Everything one change of an incident stores with it.
    public struct Change: Sendable {
        public var entries: [IncidentEntry] = []
        public var update: IncidentUpdate?
        public var messages: [OutboxMessage] = []
        public var links: [UUID] = []
        public var review: PostIncidentReview?
        public var page: OnCallPage?

        public init(
            entries: [IncidentEntry] = [],
            update: IncidentUpdate? = nil,
            messages: [OutboxMessage] = [],
            links: [UUID] = [],
            review: PostIncidentReview? = nil,
            page: OnCallPage? = nil
        ) {
            self.entries = entries
            self.update = update
            self.messages = messages
            self.links = links
            self.review = review
            self.page = page
        }
    }

    /// Stores `incident` if it is still at `version`, with its change; nil when someone changed it first.
    public func save(_ incident: MajorIncident, expecting version: Int, with change: Change, by actor: UUID?)
        async throws -> MajorIncident?
    {
        // A version no incident can have (the largest integer) is stale; counting past it would overflow.
        guard version < Int.max else { return nil }
        let messenger = messenger
        let (saved, queuedAny) = try await database.write { db -> (MajorIncident?, Bool) in
            let sql = db.sql
            var next = incident
            next.version = version + 1
            let update = sql.update("incidents")
            for (column, value) in zip(Self.columns, try Self.values(next)) where column != "id" {
                update.set(SQLColumn(column), to: value)
            }
            if let review = change.review, let at = change.entries.last?.at ?? change.update?.at {
                update.set("review", to: SQLBind(String(decoding: try JSONEncoder().encode(review), as: UTF8.self)))
                    .set("review_at", to: SQLBind(at)).set("review_by", to: SQLBind(actor))
            }
            let moved =
                try await update.where("id", .equal, incident.id).where("version", .equal, version)
                .returning("id").all().count == 1
            guard moved else { return (nil, false) }
            try await Self.link(
                change.links,
                to: incident.id,
                by: actor,
                at: change.entries.first?.at ?? Date(),
                on: sql
            )
            try await Self.insert(change.entries, on: sql)
            if let posted = change.update {
                try await sql.insert(into: "incident_updates")
                    .columns("id", "incident_id", "at", "author_id", "state", "message", "no_change", "next_update_due")
                    .values(
                        SQLBind(posted.id),
                        SQLBind(posted.incidentID),
                        SQLBind(posted.at),
                        SQLBind(posted.authorID),
                        SQLBind(posted.state.rawValue),
                        SQLBind(posted.message),
                        SQLBind(posted.noChange),
                        SQLBind(posted.nextUpdateDue)
                    )
                    .run()
            }
            try await OutboxRepository.insert(change.messages, on: sql)
            var paged = false
            if let page = change.page {
                paged = try await PageRepository.start(page, messenger: messenger, on: sql)
            }
            return (next, paged || !change.messages.isEmpty)
        }
        if queuedAny { queued() }
        return saved
    }

    private static func link(_ tickets: [UUID], to incident: UUID, by actor: UUID?, at: Date, on sql: any SQLDatabase)
        async throws
    {
        guard !tickets.isEmpty else { return }
        let insert = sql.insert(into: "incident_tickets").columns("incident_id", "ticket_id", "linked_at", "linked_by")
        for ticket in Set(tickets).sorted(by: { $0.uuidString < $1.uuidString }) {
            insert.values(SQLBind(incident), SQLBind(ticket), SQLBind(at), SQLBind(actor))
        }
        try await insert.ignoringConflicts(with: ["incident_id", "ticket_id"]).run()
    }

    private static func insert(_ entries: [IncidentEntry], on sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        let insert = sql.insert(into: "incident_entries").columns("id", "incident_id", "at", "kind", "actor_id", "text")
        for e in entries {
            insert.values(
                SQLBind(e.id),
                SQLBind(e.incidentID),
                SQLBind(e.at),
                SQLBind(e.kind.rawValue),
                SQLBind(e.actorID),
                SQLBind(e.text)
            )
        }
        try await insert.run()
    }

    // MARK: Subscribers

    public func subscribers() async throws -> [IncidentSubscriber] {
        try await database.sql.select()
            .columns("id", "kind", "target", "service_id", "organisation_id", "allow_private_targets", "created_at")
            .from("incident_subscribers").orderBy("created_at").all()
            .map { row in
                IncidentSubscriber(
                    id: try row.decode(column: "id", as: UUID.self),
                    kind: IncidentSubscriber.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .email,
                    target: try row.decode(column: "target", as: String.self),
                    serviceID: try row.decode(column: "service_id", as: UUID?.self),
                    organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                    allowPrivateTargets: try row.decode(column: "allow_private_targets", as: Bool.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self)
                )
            }
    }

    public func add(_ subscriber: IncidentSubscriber) async throws {
        try await database.write { db in
            try await db.sql.insert(into: "incident_subscribers")
                .columns("id", "kind", "target", "service_id", "organisation_id", "allow_private_targets", "created_at")
                .values(
                    SQLBind(subscriber.id),
                    SQLBind(subscriber.kind.rawValue),
                    SQLBind(subscriber.target),
                    SQLBind(subscriber.serviceID),
                    SQLBind(subscriber.organisationID),
                    SQLBind(subscriber.allowPrivateTargets),
                    SQLBind(subscriber.createdAt)
                )
                .run()
        }
    }

    /// Removes a subscriber; false if there is none with this id.
    public func remove(subscriber id: UUID) async throws -> Bool {
        try await database.write { db in
            try await db.sql.delete(from: "incident_subscribers").where("id", .equal, id).returning("id").all()
                .count == 1
        }
    }

    // MARK: Rows

    private func select() -> SQLSelectBuilder {
        database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("incidents")
    }

    private static func values(_ i: MajorIncident) throws -> [any SQLExpression] {
        [
            SQLBind(i.id), SQLBind(i.number), SQLBind(i.title), SQLBind(i.publicTitle), SQLBind(i.severity.rawValue),
            SQLBind(i.state.rawValue), SQLBind(i.origin.rawValue), SQLBind(try ids(i.serviceIDs)),
            SQLBind(try ids(i.organisationIDs)), SQLBind(i.leadID), SQLBind(i.commsLeadID), SQLBind(i.declaredAt),
            SQLBind(i.declaredBy), SQLBind(i.nextUpdateDue), SQLBind(i.remindedFor), SQLBind(i.missedFor),
            SQLBind(i.missedUpdates), SQLBind(i.resolvedAt), SQLBind(i.closedAt), SQLBind(i.version),
        ]
    }

    private static func ids(_ ids: [UUID]) throws -> String {
        ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
    }

    private static func parse(_ text: String) -> [UUID] {
        text.split(separator: ",").compactMap { UUID(uuidString: String($0)) }
    }

    static func incident(_ row: any SQLRow) throws -> MajorIncident {
        MajorIncident(
            id: try row.decode(column: "id", as: UUID.self),
            number: try row.decode(column: "number", as: Int.self),
            title: try row.decode(column: "title", as: String.self),
            publicTitle: try row.decode(column: "public_title", as: String.self),
            severity: Severity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .sev1,
            state: MajorIncident.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .investigating,
            origin: MajorIncident.Origin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .manual,
            serviceIDs: parse(try row.decode(column: "service_ids", as: String.self)),
            organisationIDs: parse(try row.decode(column: "organisation_ids", as: String.self)),
            leadID: try row.decode(column: "lead_id", as: UUID?.self),
            commsLeadID: try row.decode(column: "comms_lead_id", as: UUID?.self),
            declaredAt: try row.decode(column: "declared_at", as: Date.self),
            declaredBy: try row.decode(column: "declared_by", as: UUID?.self),
            nextUpdateDue: try row.decode(column: "next_update_due", as: Date?.self),
            remindedFor: try row.decode(column: "reminded_for", as: Date?.self),
            missedFor: try row.decode(column: "missed_for", as: Date?.self),
            missedUpdates: try row.decode(column: "missed_updates", as: Int.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Date?.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self),
            version: try row.decode(column: "version", as: Int.self)
        )
    }
}
