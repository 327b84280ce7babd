import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Support plans, contracts, billing scopes, projects, vendor costs, timers, closed statements and balance
/// warnings.
public struct BillingRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    // MARK: Plans

    public func plans() async throws -> [SupportPlan] {
        try await database.sql.select().columns("id", "spec", "version", "created_at", "updated_at")
            .from("support_plans").orderBy("name").all().map(Self.plan)
    }

    public func plan(_ id: UUID) async throws -> SupportPlan? {
        try await database.sql.select().columns("id", "spec", "version", "created_at", "updated_at")
            .from("support_plans").where("id", .equal, id).first().map(Self.plan)
    }

    /// Adds a plan, or replaces one whose version is `plan.version - 1`; the name must be free.
    public func save(_ plan: SupportPlan) async throws {
        let spec = String(decoding: try Self.encoder.encode(PlanSpec(plan)), as: UTF8.self)
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let clash = try await sql.select().column("id").from("support_plans").where("name", .equal, plan.name)
                .where("id", .notEqual, plan.id).first()
            if clash != nil {
                throw TierdeskError.invalid(field: "name", "another plan is already called \(plan.name)")
            }
            if plan.version == 1 {
                try await sql.insert(into: "support_plans")
                    .columns("id", "name", "spec", "version", "created_at", "updated_at")
                    .values(
                        SQLBind(plan.id),
                        SQLBind(plan.name),
                        SQLBind(spec),
                        SQLBind(1),
                        SQLBind(plan.createdAt),
                        SQLBind(plan.updatedAt)
                    )
                    .run()
            } else {
                let updated = try await sql.update("support_plans").set("name", to: plan.name).set("spec", to: spec)
                    .set("version", to: plan.version).set("updated_at", to: plan.updatedAt)
                    .where("id", .equal, plan.id).where("version", .equal, plan.version - 1).returning("id").all()
                guard !updated.isEmpty else {
                    throw TierdeskError.conflict(
                        "The plan \(plan.name) was changed by someone else. Reload it and apply your change again."
                    )
                }
            }
        }
    }

    // MARK: Contracts

    /// Contracts of one organisation, or of every organisation, oldest first.
    public func contracts(organisation: UUID? = nil) async throws -> [SupportContract] {
        let select = database.sql.select().columns(Self.contractColumns.map { SQLColumn($0) })
            .from("support_contracts")
        if let organisation { select.where("organisation_id", .equal, organisation) }
        return try await select.orderBy("starts_on").orderBy("created_at").all().map(Self.contract)
    }

    /// Adds a contract and ends the organisation's earlier ones the day before it starts. A contract
    /// starting on or after the new one's first day is a conflict: history is not rewritten.
    public func add(_ contract: SupportContract) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let existing = try await sql.select().columns(Self.contractColumns.map { SQLColumn($0) })
                .from("support_contracts").where("organisation_id", .equal, contract.organisationID).all()
                .map(Self.contract)
            if let later = existing.first(where: { $0.starts >= contract.starts }) {
                throw TierdeskError.conflict(
                    "A contract of this organisation already starts on \(later.starts); a new one must start after it."
                )
            }
            let dayBefore = contract.starts.adding(days: -1)
            for earlier in existing
            where earlier.covers(contract.starts) || (earlier.ends.map { $0 >= contract.starts } ?? true) {
                try await sql.update("support_contracts").set("ends_on", to: dayBefore.description)
                    .set("renews", to: false).where("id", .equal, earlier.id).run()
            }
            try await sql.insert(into: "support_contracts").columns(Self.contractColumns)
                .values(
                    SQLBind(contract.id),
                    SQLBind(contract.organisationID),
                    SQLBind(contract.planID),
                    SQLBind(contract.starts.description),
                    SQLBind(contract.ends?.description),
                    SQLBind(contract.renews),
                    SQLBind(contract.cancellationNoticeDays),
                    SQLBind(contract.customerSeesBilling),
                    SQLBind(contract.accountManagerID),
                    SQLBind(contract.createdBy),
                    SQLBind(contract.createdAt)
                )
                .run()
        }
    }

    // MARK: Scope and projects

    /// A ticket's billing scope; nil when it was never changed (in scope).
    public func scope(ticket: UUID) async throws -> BillingScope? {
        try await database.sql.select()
            .columns("ticket_id", "kind", "consent", "project_id", "decided_by", "decided_at")
            .from("billing_scopes").where("ticket_id", .equal, ticket).first().map(Self.scope)
    }

    /// Scopes of many tickets.
    static func scopes(tickets: [UUID], on sql: any SQLDatabase) async throws -> [UUID: BillingScope] {
        guard !tickets.isEmpty else { return [:] }
        var scopes: [UUID: BillingScope] = [:]
        for start in stride(from: 0, to: tickets.count, by: 500) {
            let chunk = Array(tickets[start..<min(start + 500, tickets.count)])
            for row in try await sql.select()
                .columns("ticket_id", "kind", "consent", "project_id", "decided_by", "decided_at")
                .from("billing_scopes").where(SQLColumn("ticket_id"), .in, SQLBind.group(chunk)).all()
            {
                let scope = try Self.scope(row)
                scopes[scope.ticketID] = scope
            }
        }
        return scopes
    }

    /// Takes the next project number (numbers are never reused; a failed split leaves a gap).
    public func nextProjectNumber() async throws -> Int {
        try await database.write { db in
            guard
                let number = try await (db as! any SQLDatabase)
                    .raw(
                        "UPDATE counters SET value = value + 1 WHERE name = 'project' RETURNING value"
                    )
                    .first(decodingColumn: "value", as: Int.self)
            else { throw TierdeskError.conflict("The project counter is missing; run the migrations.") }
            return number
        }
    }

    /// Stores a scope (replacing the ticket's last) and a new project, inside a ticket write.
    static func store(_ scope: BillingScope, newProject: Project?, on sql: any SQLDatabase) async throws {
        if let project = newProject {
            try await sql.insert(into: "projects")
                .columns(Self.projectColumns)
                .values(
                    SQLBind(project.id),
                    SQLBind(project.number),
                    SQLBind(project.organisationID),
                    SQLBind(project.ticketID),
                    SQLBind(project.title),
                    SQLBind(project.estimateMinutes),
                    SQLBind(project.createdBy),
                    SQLBind(project.createdAt)
                )
                .run()
        }
        try await sql.delete(from: "billing_scopes").where("ticket_id", .equal, scope.ticketID).run()
        try await sql.insert(into: "billing_scopes")
            .columns("ticket_id", "kind", "consent", "project_id", "decided_by", "decided_at")
            .values(
                SQLBind(scope.ticketID),
                SQLBind(scope.kind.rawValue),
                SQLBind(scope.consent),
                SQLBind(scope.projectID),
                SQLBind(scope.decidedBy),
                SQLBind(scope.decidedAt)
            )
            .run()
    }

    /// Projects of an organisation (or all), newest first.
    public func projects(organisation: UUID? = nil) async throws -> [Project] {
        let select = database.sql.select().columns(Self.projectColumns.map { SQLColumn($0) }).from("projects")
        if let organisation { select.where("organisation_id", .equal, organisation) }
        return try await select.orderBy("number", .descending).all().map(Self.project)
    }

    public func project(_ id: UUID) async throws -> Project? {
        try await database.sql.select().columns(Self.projectColumns.map { SQLColumn($0) }).from("projects")
            .where("id", .equal, id).first().map(Self.project)
    }

    /// Minutes logged per project (on the tickets moved to it).
    public func projectMinutes() async throws -> [UUID: Int] {
        let rows = try await database.sql
            .raw(
                """
                SELECT s.project_id AS project_id, w.start_at AS start_at, w.end_at AS end_at FROM billing_scopes s \
                JOIN work_log w ON w.ticket_id = s.ticket_id WHERE s.project_id IS NOT NULL
                """
            )
            .all()
        var minutes: [UUID: Int] = [:]
        for row in rows {
            let start = try row.decode(column: "start_at", as: Date.self)
            let end = try row.decode(column: "end_at", as: Date.self)
            minutes[try row.decode(column: "project_id", as: UUID.self), default: 0] += Int(
                end.timeIntervalSince(start) / 60
            )
        }
        return minutes
    }

    // MARK: Time

    /// What a month's statement is built from: the time started in it on the organisation's tickets with
    /// their scopes and projects, and the vendor costs incurred in it.
    public struct MonthInput: Sendable {
        public var work: [MonthlyStatement.Work]
        public var vendorCosts: [(cost: VendorCost, ticketReference: String)]
    }

    public func monthInput(organisation: UUID, range: Range<Date>) async throws -> MonthInput {
        try await Self.monthInput(organisation: organisation, range: range, on: database.sql)
    }

    static func monthInput(organisation: UUID, range: Range<Date>, on sql: any SQLDatabase) async throws -> MonthInput {
        let entries = try await TimeEntryRepository.entries(organisation: organisation, startingIn: range, on: sql)
        let scopes = try await scopes(tickets: Array(Set(entries.map(\.work.ticketID))), on: sql)
        var projects: [UUID: String] = [:]
        for id in Set(scopes.values.compactMap(\.projectID)) {
            if let row = try await sql.select().column("number").from("projects").where("id", .equal, id).first() {
                projects[id] = Project.prefix + String(try row.decode(column: "number", as: Int.self))
            }
        }
        let work = entries.map { entry in
            let scope = scopes[entry.work.ticketID]
            return MonthlyStatement.Work(
                entry: entry.work,
                ticketReference: TicketReference.format(entry.number),
                ticketTitle: entry.title,
                scope: scope?.kind ?? .inScope,
                projectReference: scope?.projectID.flatMap { projects[$0] }
            )
        }
        let costs = try await sql.select().columns(Self.costColumns.map { SQLColumn($0, table: "vendor_costs") })
            .column(SQLColumn("number", table: "tickets"))
            .from("vendor_costs")
            .join(
                "tickets",
                on: SQLColumn("ticket_id", table: "vendor_costs"),
                .equal,
                SQLColumn("id", table: "tickets")
            )
            .where(SQLColumn("incurred_at", table: "vendor_costs"), .greaterThanOrEqual, SQLBind(range.lowerBound))
            .where(SQLColumn("incurred_at", table: "vendor_costs"), .lessThan, SQLBind(range.upperBound))
            .where(SQLColumn("organisation_id", table: "tickets"), .equal, SQLBind(organisation))
            .all()
            .map { (try Self.cost($0), TicketReference.format(try $0.decode(column: "number", as: Int.self))) }
        return MonthInput(work: work, vendorCosts: costs)
    }

    /// What a write of time or costs must know of the month it lands in, read inside its transaction.
    public struct Landing: Sendable {
        /// Whether the month's statement is closed (then nothing may land in it).
        public var closed: Bool
        /// The month's statement as it stands after the write, to warn on; nil without a plan.
        public var statement: MonthlyStatement?
    }

    /// Logs time in one transaction: refuses it when its month's statement is closed, stores it, then (when
    /// `watch`, for plans with included hours, and some level is still unsent) builds the month's
    /// `statement` and queues each warning level reached for the first time (`warnings` returns the outbox
    /// messages of a level). `month` and `range` are the month the entry lands in for its organisation.
    public func logTime(
        _ entry: TimeEntry,
        organisation: UUID,
        month: String,
        range: Range<Date>,
        watch: Bool,
        statement: @escaping @Sendable (MonthInput) -> MonthlyStatement?,
        warnings: @escaping @Sendable (MonthlyStatement, Int) throws -> [OutboxMessage]
    ) async throws -> [Int] {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.refuseClosed(organisation: organisation, month: month, on: sql)
            try await TimeEntryRepository.insert(entry, on: sql)
            guard watch else { return [] }
            // Once every level was sent, the month's balance need not be read again on each entry.
            let already =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("billing_warnings").where("organisation_id", .equal, organisation).where("month", .equal, month)
                .first(decodingColumn: "n", as: Int.self) ?? 0
            guard already < MonthlyStatement.warningLevels.count else { return [] }
            let input = try await Self.monthInput(organisation: organisation, range: range, on: sql)
            guard let built = statement(input) else { return [] }
            var sent: [Int] = []
            for level in built.warningLevelsReached {
                let inserted =
                    try await sql.raw(
                        """
                        INSERT INTO billing_warnings (organisation_id, month, level, sent_at) VALUES (\
                        \(bind: organisation), \(bind: month), \(bind: level), \(bind: entry.recordedAt)) \
                        ON CONFLICT DO NOTHING RETURNING level
                        """
                    )
                    .all()
                guard !inserted.isEmpty else { continue }
                try await OutboxRepository.insert(try warnings(built, level), on: sql)
                sent.append(level)
            }
            return sent
        }
    }

    /// Removes a time entry unless its month is closed.
    public func removeTime(_ id: UUID, organisation: UUID, month: String) async throws -> Bool {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.refuseClosed(organisation: organisation, month: month, on: sql)
            return try await TimeEntryRepository.delete(id, on: sql)
        }
    }

    /// Records a vendor cost unless its month is closed.
    public func add(_ cost: VendorCost, organisation: UUID, month: String) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await Self.refuseClosed(organisation: organisation, month: month, on: sql)
            try await sql.insert(into: "vendor_costs").columns(Self.costColumns)
                .values(
                    SQLBind(cost.id),
                    SQLBind(cost.ticketID),
                    SQLBind(cost.vendorID),
                    SQLBind(cost.amount.minor),
                    SQLBind(cost.amount.currency),
                    SQLBind(cost.note),
                    SQLBind(cost.incurredAt),
                    SQLBind(cost.recordedBy),
                    SQLBind(cost.recordedAt)
                )
                .run()
        }
    }

    /// A ticket's vendor costs, oldest first.
    public func vendorCosts(ticket: UUID) async throws -> [VendorCost] {
        try await database.sql.select().columns(Self.costColumns.map { SQLColumn($0) }).from("vendor_costs")
            .where("ticket_id", .equal, ticket).orderBy("incurred_at").all().map(Self.cost)
    }

    private static func refuseClosed(organisation: UUID, month: String, on sql: any SQLDatabase) async throws {
        let closed = try await sql.select().column("month").from("statement_closures")
            .where("organisation_id", .equal, organisation).where("month", .equal, month).first()
        if closed != nil {
            throw TierdeskError.conflict(
                "The statement for \(month) is closed and read-only; record the correction in the current month."
            )
        }
    }

    // MARK: Timers

    /// A person's running timer: the ticket and when it started.
    public func timer(person: UUID) async throws -> (ticketID: UUID, startedAt: Date)? {
        guard
            let row = try await database.sql.select().columns("ticket_id", "started_at").from("time_timers")
                .where("person_id", .equal, person).first()
        else { return nil }
        return (try row.decode(column: "ticket_id", as: UUID.self), try row.decode(column: "started_at", as: Date.self))
    }

    /// Starts a person's timer; false when one is already running.
    public func startTimer(person: UUID, ticket: UUID, at start: Date) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase)
                .raw(
                    """
                    INSERT INTO time_timers (person_id, ticket_id, started_at) VALUES (\(bind: person), \(bind: ticket), \
                    \(bind: start)) ON CONFLICT DO NOTHING RETURNING person_id
                    """
                )
                .all().count == 1
        }
    }

    /// Stops a person's timer and returns what it held; nil when none ran.
    public func stopTimer(person: UUID) async throws -> (ticketID: UUID, startedAt: Date)? {
        try await database.write { db in
            guard
                let row = try await (db as! any SQLDatabase).delete(from: "time_timers")
                    .where("person_id", .equal, person).returning("ticket_id", "started_at").first()
            else { return nil }
            return (
                try row.decode(column: "ticket_id", as: UUID.self), try row.decode(column: "started_at", as: Date.self)
            )
        }
    }

    // MARK: Statements

    /// A closed month's statement as it was closed.
    public func closedStatement(organisation: UUID, month: String) async throws -> MonthlyStatement? {
        guard
            let row = try await database.sql.select().column("statement").from("statement_closures")
                .where("organisation_id", .equal, organisation).where("month", .equal, month).first()
        else { return nil }
        return try Self.decoder.decode(
            MonthlyStatement.self,
            from: Data(try row.decode(column: "statement", as: String.self).utf8)
        )
    }

    /// Closes a month with its statement as reviewed; a second close is a conflict.
    public func close(_ statement: MonthlyStatement, by person: UUID) async throws {
        let text = String(decoding: try Self.encoder.encode(statement), as: UTF8.self)
        try await database.write { db in
            let inserted = try await (db as! any SQLDatabase)
                .raw(
                    """
                    INSERT INTO statement_closures (organisation_id, month, statement, closed_by, closed_at) VALUES (\
                    \(bind: statement.organisationID), \(bind: statement.month), \(bind: text), \(bind: person), \
                    \(bind: statement.closedAt ?? Date())) ON CONFLICT DO NOTHING RETURNING month
                    """
                )
                .all()
            guard !inserted.isEmpty else {
                throw TierdeskError.conflict("The statement for \(statement.month) is already closed.")
            }
        }
    }

    /// The balance warning levels sent for an organisation's month.
    public func warningsSent(organisation: UUID, month: String) async throws -> [Int] {
        try await database.sql.select().column("level").from("billing_warnings")
            .where("organisation_id", .equal, organisation).where("month", .equal, month).orderBy("level").all()
            .map { try $0.decode(column: "level", as: Int.self) }
    }

    // MARK: Rows

    /// The plan fields kept as JSON.
    struct PlanSpec: Codable {
        var name: String
        var includedMinutes: Int?
        var monthlyFee: Int
        var currency: String
        var overageRate: Int
        var outOfScopeRate: Int
        var projectRate: Int
        var roundingMinutes: Int
        var minimumMinutes: Int
        var serviceIDs: [UUID]
        var slaPolicy: String?
        var supportCalendar: String?
        var extras: [PlanExtra]
        var noticeDays: Int

        init(_ plan: SupportPlan) {
            name = plan.name
            includedMinutes = plan.includedMinutes
            monthlyFee = plan.monthlyFee
            currency = plan.currency
            overageRate = plan.overageRate
            outOfScopeRate = plan.outOfScopeRate
            projectRate = plan.projectRate
            roundingMinutes = plan.roundingMinutes
            minimumMinutes = plan.minimumMinutes
            serviceIDs = plan.serviceIDs
            slaPolicy = plan.slaPolicy
            supportCalendar = plan.supportCalendar
            extras = plan.extras
            noticeDays = plan.noticeDays
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static func plan(_ row: any SQLRow) throws -> SupportPlan {
        let spec = try decoder.decode(PlanSpec.self, from: Data(try row.decode(column: "spec", as: String.self).utf8))
        return SupportPlan(
            id: try row.decode(column: "id", as: UUID.self),
            name: spec.name,
            includedMinutes: spec.includedMinutes,
            monthlyFee: spec.monthlyFee,
            currency: spec.currency,
            overageRate: spec.overageRate,
            outOfScopeRate: spec.outOfScopeRate,
            projectRate: spec.projectRate,
            roundingMinutes: spec.roundingMinutes,
            minimumMinutes: spec.minimumMinutes,
            serviceIDs: spec.serviceIDs,
            slaPolicy: spec.slaPolicy,
            supportCalendar: spec.supportCalendar,
            extras: spec.extras,
            noticeDays: spec.noticeDays,
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }

    private static let contractColumns = [
        "id", "organisation_id", "plan_id", "starts_on", "ends_on", "renews", "notice_days", "customer_sees_billing",
        "account_manager_id", "created_by", "created_at",
    ]

    private static func contract(_ row: any SQLRow) throws -> SupportContract {
        let starts = try row.decode(column: "starts_on", as: String.self)
        return SupportContract(
            id: try row.decode(column: "id", as: UUID.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID.self),
            planID: try row.decode(column: "plan_id", as: UUID.self),
            starts: LocalDate(starts) ?? LocalDate(year: 1970, month: 1, day: 1),
            ends: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init),
            renews: try row.decode(column: "renews", as: Bool.self),
            cancellationNoticeDays: try row.decode(column: "notice_days", as: Int.self),
            customerSeesBilling: try row.decode(column: "customer_sees_billing", as: Bool.self),
            accountManagerID: try row.decode(column: "account_manager_id", as: UUID?.self),
            createdBy: try row.decode(column: "created_by", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }

    private static func scope(_ row: any SQLRow) throws -> BillingScope {
        BillingScope(
            ticketID: try row.decode(column: "ticket_id", as: UUID.self),
            kind: BillingScope.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .inScope,
            consent: try row.decode(column: "consent", as: String?.self),
            projectID: try row.decode(column: "project_id", as: UUID?.self),
            decidedBy: try row.decode(column: "decided_by", as: UUID.self),
            decidedAt: try row.decode(column: "decided_at", as: Date.self)
        )
    }

    private static let projectColumns = [
        "id", "number", "organisation_id", "ticket_id", "title", "estimate_minutes", "created_by", "created_at",
    ]

    private static func project(_ row: any SQLRow) throws -> Project {
        Project(
            id: try row.decode(column: "id", as: UUID.self),
            number: try row.decode(column: "number", as: Int.self),
            organisationID: try row.decode(column: "organisation_id", as: UUID.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID.self),
            title: try row.decode(column: "title", as: String.self),
            estimateMinutes: try row.decode(column: "estimate_minutes", as: Int.self),
            createdBy: try row.decode(column: "created_by", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }

    private static let costColumns = [
        "id", "ticket_id", "vendor_id", "amount", "currency", "note", "incurred_at", "recorded_by", "recorded_at",
    ]

    private static func cost(_ row: any SQLRow) throws -> VendorCost {
        VendorCost(
            id: try row.decode(column: "id", as: UUID.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID.self),
            vendorID: try row.decode(column: "vendor_id", as: UUID?.self),
            amount: Money(
                minor: try row.decode(column: "amount", as: Int.self),
                currency: try row.decode(column: "currency", as: String.self)
            ),
            note: try row.decode(column: "note", as: String.self),
            incurredAt: try row.decode(column: "incurred_at", as: Date.self),
            recordedBy: try row.decode(column: "recorded_by", as: UUID.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self)
        )
    }
}
