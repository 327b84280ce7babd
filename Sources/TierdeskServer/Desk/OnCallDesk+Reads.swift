import Foundation
import TierdeskCore
import TierdeskStore

/// On call as the API and the console read and manage it: staff who may see on call read schedules,
/// shifts, overrides, coverage and policies; managers change them.
extension OnCallDesk {
    /// The console's overview: coverage, who is on call now, and the policies.
    struct Board: Sendable {
        var ratio: Double
        var schedules: SchedulesAt
        var policies: [EscalationPolicy]
    }

    func board(for actor: Actor) async throws -> Board {
        let stored = try await storedSchedules(for: actor)
        return Board(
            ratio: ScheduleCoverage.combinedRatio(stored.compactMap(\.coverage)),
            schedules: try await schedulesAt(stored, now: clock.now()),
            policies: try await oncall.policies()
        )
    }

    func storedSchedules(for actor: Actor) async throws -> [OnCallRepository.StoredSchedule] {
        try Self.require(.viewOnCall, actor)
        return try await oncall.storedSchedules()
    }

    func storedSchedule(_ id: UUID, for actor: Actor) async throws -> OnCallRepository.StoredSchedule {
        try Self.require(.viewOnCall, actor)
        guard let stored = try await oncall.storedSchedule(id) else {
            throw TierdeskError.notFound("No schedule has the id \(id.uuidString).")
        }
        return stored
    }

    /// Who is on call now in each of `stored`.
    func onCallNow(_ stored: [OnCallRepository.StoredSchedule]) async throws -> SchedulesAt {
        try await schedulesAt(stored, now: clock.now())
    }

    /// Stores a new schedule (`id` nil) or replaces one; returns its id.
    func saveSchedule(_ spec: OnCallScheduleSpec, id: UUID?, by actor: Actor) async throws -> UUID {
        try Self.require(.manageOnCall, actor)
        let scheduleID = id ?? UUID()
        guard try await saveSchedule(spec, id: scheduleID, replacing: id != nil, at: clock.now()) else {
            throw TierdeskError.notFound("No schedule has the id \(scheduleID.uuidString).")
        }
        return scheduleID
    }

    func deleteSchedule(_ id: UUID, by actor: Actor) async throws {
        try Self.require(.manageOnCall, actor)
        guard try await oncall.deleteSchedule(id) else {
            throw TierdeskError.notFound("No schedule has the id \(id.uuidString).")
        }
    }

    /// The shifts of a schedule in `window`, with names.
    func shifts(
        of id: UUID,
        in window: Range<Date>,
        for actor: Actor
    ) async throws -> (shifts: [OnCallShift], names: [UUID: String]) {
        try Self.require(.viewOnCall, actor)
        guard let schedule = try await oncall.schedules([id], from: window.lowerBound, until: window.upperBound)[id]
        else {
            throw TierdeskError.notFound("No schedule has the id \(id.uuidString).")
        }
        let shifts = OnCallRole.allCases.flatMap { schedule.shifts($0, in: window) }
            .sorted { ($0.start, $0.role.rawValue) < ($1.start, $1.role.rawValue) }
        let people = try await directory.people(ids: Set(shifts.map(\.personID)))
        return (shifts, Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The overrides of a schedule that have not ended.
    func overrides(of id: UUID, for actor: Actor) async throws -> [OnCallOverride] {
        _ = try await storedSchedule(id, for: actor)
        return try await oncall.overrides(of: id, endingAfter: clock.now())
    }

    func addOverride(
        role: OnCallRole,
        personID: UUID,
        start: Date,
        end: Date,
        to scheduleID: UUID,
        by actor: Actor
    ) async throws -> OnCallOverride {
        try Self.require(.manageOnCall, actor)
        let now = clock.now()
        let override = OnCallOverride(role: role, personID: personID, start: start, end: end, createdAt: now)
        try await addOverride(override, to: scheduleID, by: actor, at: now)
        return override
    }

    func removeOverride(_ id: UUID, of scheduleID: UUID, by actor: Actor) async throws {
        try Self.require(.manageOnCall, actor)
        try await removeOverride(id, of: scheduleID, at: clock.now())
    }

    func policies(for actor: Actor) async throws -> [EscalationPolicy] {
        try Self.require(.viewOnCall, actor)
        return try await oncall.policies()
    }

    func policy(_ id: UUID, for actor: Actor) async throws -> EscalationPolicy {
        try Self.require(.viewOnCall, actor)
        guard let policy = try await oncall.policy(id) else {
            throw TierdeskError.notFound("No escalation policy has the id \(id.uuidString).")
        }
        return policy
    }

    /// Stores a new policy (`id` nil) or replaces one.
    func savePolicy(_ spec: EscalationPolicySpec, id: UUID?, by actor: Actor) async throws -> EscalationPolicy {
        try Self.require(.manageOnCall, actor)
        let policyID = id ?? UUID()
        let (policy, saved) = try await savePolicy(spec, id: policyID, replacing: id != nil, at: clock.now())
        guard saved else { throw TierdeskError.notFound("No escalation policy has the id \(policyID.uuidString).") }
        return policy
    }

    /// A private calendar feed of a schedule or of a person's shifts; returns its address.
    func issueFeed(schedule: UUID?, person: UUID?, by actor: Actor) async throws -> String {
        try Self.require(.viewOnCall, actor)
        let subject: OnCallRepository.FeedSubject
        switch (schedule, person) {
        case (let id?, nil):
            _ = try await storedSchedule(id, for: actor)
            subject = .schedule(id)
        case (nil, let id?):
            try TierdeskError.check(AccessPolicy.decidePagingContacts(of: id, by: actor), notFound: "")
            guard try await directory.person(id) != nil else {
                throw TierdeskError.notFound("No person has the id \(id.uuidString).")
            }
            subject = .person(id)
        default:
            throw TierdeskError.invalid(
                ValidationFailure(field: "scheduleId", message: "name either scheduleId or personId")
            )
        }
        let token = Secrets.token(prefix: "cal_")
        try await oncall.issueFeed(subject, tokenHash: Secrets.hash(token), at: clock.now())
        return "\(pageLinks.baseURL)/calendar/\(token).ics"
    }
}
