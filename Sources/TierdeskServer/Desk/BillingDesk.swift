import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// Support plans, contracts and billing settings: admins define plans and bind organisations to them;
/// staff read them (money only for managers and admins, ``AccessPolicy/decide(_:by:on:)`` with
/// ``Action/viewBilling``). A new contract puts its plan's SLA policy in force and recomputes the
/// organisation's open tickets.
struct BillingDesk: Sendable {
    let clock: any Clock
    let logger: Logger
    let billing: BillingRepository
    let timeEntries: TimeEntryRepository
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let tickets: TicketRepository
    let sla: SLASettings
    let terms: SettingCache<BillingTerms>
    let slaWakeUps: WakeUps
    let outboxWakeUps: WakeUps
    let ticketDesk: TicketDesk
    let mailIdentity: DeskMailIdentity?

    var now: Date { clock.now() }

    /// The terms in force, read again when the cached copy has expired.
    func currentTerms() async throws -> BillingTerms {
        try await terms.value(at: now)
    }

    /// Every plan, by name. Staff only.
    func plans(for actor: Actor) async throws -> [SupportPlan] {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        return try await billing.plans()
    }

    /// Adds a plan (no `id`) or changes one at `expectedVersion`. Admins only.
    func save(plan input: SupportPlan, expectedVersion: Int?, by actor: Actor) async throws -> SupportPlan {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
        var plan = input
        var errors: [FieldError] = []
        do { plan = try input.validated() } catch { errors = error.errors }
        let configuration = sla.current
        if let policy = plan.slaPolicy, configuration.policy(named: policy) == nil {
            errors.append(
                FieldError(
                    field: "slaPolicy",
                    message:
                        "names no SLA policy; use one of: \(configuration.policies.map(\.name).joined(separator: ", "))"
                )
            )
        }
        if let calendar = plan.supportCalendar, calendar != BusinessCalendar.twentyFourSevenName,
            configuration.calendars[calendar] == nil
        {
            errors.append(
                FieldError(field: "supportCalendar", message: "names no calendar; use 24x7 or an SLA calendar")
            )
        }
        let known = Set(try await directory.services().map(\.id))
        for id in plan.serviceIDs where !known.contains(id) {
            errors.append(FieldError(field: "serviceIds", message: "no service has the id \(id.uuidString)"))
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let now = now
        if let expectedVersion {
            guard let stored = try await billing.plan(plan.id) else {
                throw TierdeskError.notFound("No plan has the id \(plan.id.uuidString).")
            }
            guard stored.version == expectedVersion else {
                throw TierdeskError.conflict(
                    "The plan \(stored.name) is at version \(stored.version), not \(expectedVersion). Reload it and apply your change again."
                )
            }
            plan.createdAt = stored.createdAt
            plan.version = expectedVersion + 1
        } else {
            plan.version = 1
            plan.createdAt = now
        }
        plan.updatedAt = now
        try await billing.save(plan)
        try await termsChanged()
        return plan
    }

    /// The names of the SLA policies a plan may name.
    func slaPolicyNames() async throws -> [String] {
        try await sla.refresh(at: now)
        return sla.current.policies.map(\.name)
    }

    /// Contracts of an organisation, or of all, oldest first. Staff only.
    func contracts(organisation: UUID?, for actor: Actor) async throws -> [SupportContract] {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        return try await billing.contracts(organisation: organisation)
    }

    /// Binds an organisation to a plan from a day; the contract before it ends the day before. Admins only.
    func add(contract input: SupportContract, by actor: Actor) async throws -> SupportContract {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
        var contract: SupportContract
        do { contract = try input.validated() } catch { throw TierdeskError.invalid(error) }
        var errors: [FieldError] = []
        if try await directory.organisation(contract.organisationID) == nil {
            errors.append(
                FieldError(
                    field: "organisationId",
                    message: "no organisation has the id \(contract.organisationID.uuidString)"
                )
            )
        }
        if try await billing.plan(contract.planID) == nil {
            errors.append(FieldError(field: "planId", message: "no plan has the id \(contract.planID.uuidString)"))
        }
        if let manager = contract.accountManagerID {
            let person = try await directory.person(manager)
            if person?.actor.isStaff != true || person?.active != true {
                errors.append(
                    FieldError(
                        field: "accountManagerId",
                        message: "\(manager.uuidString) is not an active staff member"
                    )
                )
            }
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        contract.createdBy = actor.personID
        contract.createdAt = now
        try await billing.add(contract)
        try await termsChanged()
        logger.notice(
            "Support contract added",
            metadata: ["organisation": "\(contract.organisationID)", "starts": "\(contract.starts)"]
        )
        return contract
    }

    /// The billing settings. Staff read them; admins change them.
    func billingSettings(for actor: Actor) async throws -> BillingSettings {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        return try await settings.billing()
    }

    func save(settings input: BillingSettings, by actor: Actor) async throws -> BillingSettings {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
        var checked = input
        do { checked.shortNoticeReply = try NoticeRule.validated(template: input.shortNoticeReply) } catch {
            throw TierdeskError.invalid(error)
        }
        try await settings.save(checked)
        terms.expire()
        return checked
    }

    /// Plans and contracts changed here: read them again, and if the SLA policies they bring changed,
    /// recompute the open tickets' deadlines.
    private func termsChanged() async throws {
        terms.expire()
        if try await sla.reload(at: now) {
            let count = try await tickets.replanOpenTickets(planner: sla)
            slaWakeUps.signal()
            logger.notice("Contract SLA policies changed", metadata: ["recomputedTickets": "\(count)"])
        }
    }
}

extension BillingDesk {
    /// People by id, for naming who logged time.
    func people(_ ids: Set<UUID>) async throws -> [UUID: Person] {
        Dictionary(try await directory.people(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

extension BillingDesk {
    /// A project with its ticket, its organisation's name and the time logged on it so far.
    struct ProjectLine: Sendable {
        var project: Project
        var ticketReference: String
        var organisation: String
        var loggedMinutes: Int
    }

    /// Every project, newest first, with the time logged on it against its estimate. Staff only.
    func projects(for actor: Actor) async throws -> [ProjectLine] {
        try TierdeskError.check(AccessPolicy.decide(.logTime, by: actor), notFound: "")
        let projects = try await billing.projects()
        let minutes = try await billing.projectMinutes()
        let names = Dictionary(
            try await directory.organisations().map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a }
        )
        var lines: [ProjectLine] = []
        for project in projects {
            let ticket = try await tickets.find(id: project.ticketID)
            lines.append(
                ProjectLine(
                    project: project,
                    ticketReference: ticket?.reference ?? "?",
                    organisation: names[project.organisationID] ?? "?",
                    loggedMinutes: minutes[project.id] ?? 0
                )
            )
        }
        return lines
    }
}
