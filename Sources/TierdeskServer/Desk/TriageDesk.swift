import Foundation
import TierdeskCore
import TierdeskStore

/// The weekly triage: every open ticket without an owner, oldest first, the week's operations
/// owner, bulk assignment and the weekly report.
struct TriageDesk: Sendable {
    let clock: any Clock
    let tickets: TicketRepository
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let oncall: OnCallRepository
    let knownErrors: KnownErrorRepository
    let groups: SupportGroupRepository
    let triage: SettingCache<TriageSetup>
    let ticketDesk: TicketDesk

    /// Most tickets the board shows.
    static let boardSize = 200

    /// What one bulk assignment did to one ticket.
    struct Outcome: Sendable {
        enum Kind: String, Sendable { case assigned, alreadyOwned = "already_owned", refused }
        var reference: String
        var kind: Kind
        var detail: String?
    }

    func requireTriage(_ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
    }

    /// Who runs a week's triage, and the schedule that says so (nil when set for the week by hand).
    struct OperationsOwner: Sendable {
        var personID: UUID
        var scheduleName: String?
    }

    /// The operations owner of a week: the one set for that week by hand, else whoever is primary for
    /// most of the week in the schedule the paging settings name.
    func operationsOwner(for week: IsoWeek) async throws -> OperationsOwner? {
        if let person = try await settings.operationsOwners()[week.description] {
            return OperationsOwner(personID: person)
        }
        guard let id = try await settings.paging().operationsScheduleId,
            let schedule = try await oncall.schedules([id], from: week.start, until: week.end)[id],
            let person = schedule.longestHolder(.primary, in: week.start..<week.end)
        else { return nil }
        return OperationsOwner(personID: person, scheduleName: schedule.name)
    }

    /// Every open ticket without an owner, oldest first.
    func board(for actor: Actor) async throws -> [Ticket] {
        try requireTriage(actor)
        var query = TicketQuery()
        query.openOnly = true
        query.owner = .nobody
        query.oldestFirst = true
        query.limit = Self.boardSize
        return try await ticketDesk.list(query, for: actor)
    }

    /// Assigns each ticket that still has no owner to `ownerID`; one ticket's refusal does not stop the others.
    func assign(_ references: [String], to ownerID: UUID, by actor: Actor) async throws -> [Outcome] {
        try requireTriage(actor)
        guard !references.isEmpty else { throw TierdeskError.invalid(field: "tickets", "name at least one ticket") }
        guard references.count <= Self.boardSize else {
            throw TierdeskError.invalid(field: "tickets", "name at most \(Self.boardSize) tickets at once")
        }
        guard let owner = try await directory.person(ownerID) else {
            throw TierdeskError.invalid(field: "ownerId", "no person has the id \(ownerID.uuidString)")
        }
        var outcomes: [Outcome] = []
        for reference in references {
            do {
                let assigned = try await ticketDesk.assignIfUnowned(reference, to: owner, by: actor)
                outcomes.append(Outcome(reference: reference.uppercased(), kind: assigned ? .assigned : .alreadyOwned))
            } catch let error as TierdeskError {
                outcomes.append(Outcome(reference: String(reference.prefix(40)), kind: .refused, detail: error.reason))
            }
        }
        return outcomes
    }

    /// The report of one week.
    func report(_ week: IsoWeek, for actor: Actor) async throws -> TriageReport {
        try requireTriage(actor)
        return try await report(week, owner: try await operationsOwner(for: week), for: actor)
    }

    /// The report of one week whose operations owner the caller has read.
    func report(_ week: IsoWeek, owner: OperationsOwner?, for actor: Actor) async throws -> TriageReport {
        try requireTriage(actor)
        var opened = TicketQuery()
        opened.createdFrom = week.start
        opened.createdBefore = week.end
        opened.oldestFirst = true
        opened.limit = 1000
        let takings = TriageReport.takings(
            from: try await tickets.ownerEvents(from: week.start, to: week.end),
            in: week
        )
        return TriageReport(
            week: week,
            operationsOwner: owner?.personID,
            opened: try await ticketDesk.list(opened, for: actor),
            taken: takings,
            stillUnowned: try await board(for: actor)
        )
    }
}
