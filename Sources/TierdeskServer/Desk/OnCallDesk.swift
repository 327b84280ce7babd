import Foundation
import TierdeskCore
import TierdeskStore

/// The rules around schedules, policies and paging settings that need the store: members and targets
/// must exist and be staff, references must resolve, and coverage is checked over the next weeks.
struct OnCallDesk: Sendable {
    let clock: any Clock
    let pageLinks: PageLinks
    let oncall: OnCallRepository
    let pages: PageRepository
    let directory: DirectoryRepository
    let settings: SettingsRepository

    /// Schedules with who holds each role at one instant, and the names of those people.
    struct SchedulesAt {
        var schedules: [(stored: OnCallRepository.StoredSchedule, onCall: OnCallPair)]
        var names: [UUID: String]
    }

    /// Pages with the references of their tickets and the people they and their history name.
    struct PagesWithNames {
        var pages: [OnCallPage]
        var references: [UUID: String]
        var people: [UUID: Person]
    }

    static func require(_ action: Action, _ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(action, by: actor), notFound: "")
    }

    /// The range coverage is checked over: from now, ``ScheduleCoverage/defaultWeeks`` weeks ahead.
    static func horizon(from now: Date) -> Range<Date> {
        now..<now.addingTimeInterval(Double(ScheduleCoverage.defaultWeeks) * 7 * 86_400)
    }

    /// Checks a spec and that everyone it names is staff; every offending field is named.
    func checkedSchedule(_ spec: OnCallScheduleSpec, id: UUID) async throws -> OnCallSchedule {
        var errors: [FieldError] = []
        var schedule: OnCallSchedule?
        do { schedule = try spec.schedule(id: id) } catch { errors = error.errors }
        let staff = try await staffIDs(spec.memberIDs)
        for (index, layer) in spec.layers.enumerated() {
            for member in layer.members where !staff.contains(member) {
                errors.append(
                    FieldError(
                        field: "layers[\(index)].members",
                        message: "\(member.uuidString) is not an active agent, manager or admin"
                    )
                )
            }
        }
        guard errors.isEmpty, let schedule else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return schedule
    }

    /// Checks a policy spec and that its schedules and people exist.
    func checkedPolicy(_ spec: EscalationPolicySpec, id: UUID) async throws -> EscalationPolicy {
        let policy: EscalationPolicy
        do { policy = try spec.policy(id: id) } catch { throw TierdeskError.invalid(error) }
        let schedules = Set(try await oncall.storedSchedules().map(\.id))
        let staff = try await staffIDs(policy.personIDs)
        var errors: [FieldError] = []
        for (index, step) in policy.steps.enumerated() {
            switch step.target {
            case .schedule(let id, _) where !schedules.contains(id):
                errors.append(
                    FieldError(field: "steps[\(index)].scheduleId", message: "no schedule has the id \(id.uuidString)")
                )
            case .person(let id) where !staff.contains(id):
                errors.append(
                    FieldError(
                        field: "steps[\(index)].personId",
                        message: "\(id.uuidString) is not an active agent, manager or admin"
                    )
                )
            default: break
            }
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return policy
    }

    /// Checks paging settings: the gateway URL, and that the named policies and schedule exist.
    func checkedSettings(_ input: PagingSettings) async throws -> PagingSettings {
        let settings: PagingSettings
        do { settings = try input.validated() } catch { throw TierdeskError.invalid(error) }
        let policies = Set(try await oncall.policies().map(\.id))
        var errors: [FieldError] = []
        for (field, id) in [("sev1PolicyId", settings.sev1PolicyId), ("sev2PolicyId", settings.sev2PolicyId)] {
            if let id, !policies.contains(id) {
                errors.append(FieldError(field: field, message: "no escalation policy has the id \(id.uuidString)"))
            }
        }
        if let id = settings.operationsScheduleId, try await oncall.storedSchedule(id) == nil {
            errors.append(FieldError(field: "operationsScheduleId", message: "no schedule has the id \(id.uuidString)"))
        }
        if let name = settings.workingHoursCalendar, try await self.settings.slaConfiguration().calendars[name] == nil {
            errors.append(
                FieldError(
                    field: "workingHoursCalendar",
                    message: "no SLA calendar is named \(String(name.prefix(TextLimits.label)))"
                )
            )
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return settings
    }

    /// Checks and stores a schedule with its coverage; false if `replacing` and there is no such schedule.
    /// A replaced schedule keeps its overrides, and its coverage counts them.
    func saveSchedule(_ spec: OnCallScheduleSpec, id: UUID, replacing: Bool, at now: Date) async throws -> Bool {
        let schedule = try await checkedSchedule(spec, id: id)
        return try await oncall.saveSchedule(
            id: id,
            spec: spec,
            coverage: try await coverage(of: schedule, at: now),
            at: now,
            replacing: replacing
        )
    }

    /// Checks and stores a policy; false if `replacing` and there is no such policy.
    func savePolicy(_ spec: EscalationPolicySpec, id: UUID, replacing: Bool, at now: Date) async throws -> (
        EscalationPolicy, saved: Bool
    ) {
        let policy = try await checkedPolicy(spec, id: id)
        return (policy, try await oncall.savePolicy(policy, at: now, replacing: replacing))
    }

    /// Checks and stores an override (someone on staff covering a role for a while), and checks the
    /// schedule's coverage again.
    func addOverride(_ override: OnCallOverride, to scheduleID: UUID, by actor: Actor, at now: Date) async throws {
        do { try OnCallOverride.validate(start: override.start, end: override.end) } catch {
            throw TierdeskError.invalid(error)
        }
        guard try await !staffIDs([override.personID]).isEmpty else {
            throw TierdeskError.invalid(
                ValidationFailure(
                    field: "personId",
                    message: "\(override.personID.uuidString) is not an active agent, manager or admin"
                )
            )
        }
        guard try await oncall.storedSchedule(scheduleID) != nil else {
            throw TierdeskError.notFound("No schedule has the id \(scheduleID.uuidString).")
        }
        try await oncall.addOverride(override, to: scheduleID, by: actor.personID)
        if let coverage = try await coverage(of: scheduleID, at: now) {
            try await oncall.saveCoverage(coverage, of: scheduleID, at: now)
        }
    }

    /// Removes an override and checks the schedule's coverage again.
    func removeOverride(_ id: UUID, of scheduleID: UUID, at now: Date) async throws {
        guard try await oncall.deleteOverride(id, of: scheduleID) else {
            throw TierdeskError.notFound("No override of this schedule has the id \(id.uuidString).")
        }
        if let coverage = try await coverage(of: scheduleID, at: now) {
            try await oncall.saveCoverage(coverage, of: scheduleID, at: now)
        }
    }

    /// The coverage of a stored schedule over the horizon, with its overrides.
    func coverage(of id: UUID, at now: Date) async throws -> ScheduleCoverage? {
        let horizon = Self.horizon(from: now)
        return try await oncall.schedules([id], from: horizon.lowerBound, until: horizon.upperBound)[id]?
            .coverage(in: horizon)
    }

    /// The coverage of a schedule about to be saved, with the overrides stored for it.
    func coverage(of schedule: OnCallSchedule, at now: Date) async throws -> ScheduleCoverage {
        var schedule = schedule
        schedule.overrides = try await oncall.overrides(of: schedule.id, endingAfter: now)
        return schedule.coverage(in: Self.horizon(from: now))
    }

    /// Checks again, and stores, the coverage of every schedule whose check is older than `age`.
    func refreshStaleCoverage(olderThan age: TimeInterval, at now: Date) async throws -> Int {
        let stale = try await oncall.storedSchedules()
            .filter { $0.coverageCheckedAt.map { now.timeIntervalSince($0) >= age } ?? true }
        guard !stale.isEmpty else { return 0 }
        // One read of the overrides of every stale schedule over the horizon.
        let horizon = Self.horizon(from: now)
        let schedules = try await oncall.schedules(of: stale, from: horizon.lowerBound, until: horizon.upperBound)
        for (id, schedule) in schedules {
            try await oncall.saveCoverage(schedule.coverage(in: horizon), of: id, at: now)
        }
        return schedules.count
    }

    /// Who is on call in each stored schedule at `now`, with names: two reads (overrides, people).
    func schedulesAt(_ stored: [OnCallRepository.StoredSchedule], now: Date) async throws -> SchedulesAt {
        let built = try await oncall.schedules(of: stored, from: now, until: now.addingTimeInterval(1))
        let pairs = stored.map { ($0, built[$0.id]?.onCall(at: now) ?? OnCallPair(primary: nil, secondary: nil)) }
        let ids = Set(pairs.flatMap { [$0.1.primary, $0.1.secondary].compactMap { $0 } })
        let names = Dictionary(
            try await directory.people(ids: ids).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a }
        )
        return SchedulesAt(schedules: pairs.map { (stored: $0.0, onCall: $0.1) }, names: names)
    }

    /// The references and people that pages and their `events` name.
    func withNames(_ pages: [OnCallPage], events: [PageEvent] = []) async throws -> PagesWithNames {
        let references = try await self.pages.references(of: pages)
        let ids = Set(
            pages.flatMap { [$0.startedBy, $0.acknowledgedBy].compactMap { $0 } } + events.compactMap(\.personID)
        )
        let people = Dictionary(
            try await directory.people(ids: ids).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        return PagesWithNames(pages: pages, references: references, people: people)
    }

    /// Those of `ids` who are active staff: only they may be on call, be paged or owe time.
    func staffIDs(_ ids: Set<UUID>) async throws -> Set<UUID> {
        Set(try await directory.people(ids: ids).filter { $0.active && $0.actor.isStaff }.map(\.id))
    }
}
