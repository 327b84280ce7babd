import Foundation
import TierdeskCore
import TierdeskStore

/// A person named on a schedule or page: id and name.
struct PersonRefDTO: Codable, Sendable, Equatable {
    var id: UUID
    var name: String?
}

/// A gap in coverage.
struct CoverageGapDTO: Codable, Sendable, Equatable {
    var role: OnCallRole
    var start: String
    var end: String
}

/// Coverage of one schedule over the checked range.
struct ScheduleCoverageDTO: Codable, Sendable, Equatable {
    var from: String
    var until: String
    /// Covered share of role-time, 0 to 100, to two decimals.
    var percent: Double
    var gaps: [CoverageGapDTO]
    var checkedAt: String?

    init(_ coverage: ScheduleCoverage, checkedAt: Date?) {
        from = Timestamp.format(coverage.from)
        until = Timestamp.format(coverage.until)
        percent = Self.percent(coverage.ratio)
        gaps = coverage.gaps.map {
            CoverageGapDTO(role: $0.role, start: Timestamp.format($0.start), end: Timestamp.format($0.end))
        }
        self.checkedAt = checkedAt.map(Timestamp.format)
    }

    static func percent(_ ratio: Double) -> Double { (ratio * 10_000).rounded() / 100 }
}

/// A schedule as the API shows it: the spec, who is on call now, and the last coverage check.
struct ScheduleDTO: Codable, Sendable {
    var id: UUID
    var name: String
    var timeZone: String
    var layers: [OnCallScheduleSpec.Layer]
    var onCallNow: OnCallNowDTO
    var coverage: ScheduleCoverageDTO?
    var createdAt: String
    var updatedAt: String

    init(_ stored: OnCallRepository.StoredSchedule, onCall: OnCallPair, names: [UUID: String]) {
        func ref(_ id: UUID?) -> PersonRefDTO? { id.map { PersonRefDTO(id: $0, name: names[$0]) } }
        id = stored.id
        name = stored.spec.name
        timeZone = stored.spec.timeZone
        layers = stored.spec.layers
        onCallNow = OnCallNowDTO(primary: ref(onCall.primary), secondary: ref(onCall.secondary))
        coverage = stored.coverage.map { ScheduleCoverageDTO($0, checkedAt: stored.coverageCheckedAt) }
        createdAt = Timestamp.format(stored.createdAt)
        updatedAt = Timestamp.format(stored.updatedAt)
    }
}

struct OnCallNowDTO: Codable, Sendable {
    var primary: PersonRefDTO?
    var secondary: PersonRefDTO?
}

/// Coverage of all schedules, rolled into one figure (goal 100 %).
struct OnCallCoverageDTO: Codable, Sendable {
    struct Entry: Codable, Sendable {
        var scheduleId: UUID
        var name: String
        var coverage: ScheduleCoverageDTO?
    }

    var percent: Double
    var goalPercent: Double
    var weeks: Int
    var schedules: [Entry]
}

struct OverrideDTO: Codable, Sendable {
    var id: UUID
    var role: OnCallRole
    var personId: UUID
    var start: String
    var end: String
    var createdAt: String

    init(_ override: OnCallOverride) {
        id = override.id
        role = override.role
        personId = override.personID
        start = Timestamp.format(override.start)
        end = Timestamp.format(override.end)
        createdAt = Timestamp.format(override.createdAt)
    }
}

struct NewOverrideDTO: Decodable, Sendable {
    var role: OnCallRole
    var personId: UUID
    var start: Date
    var end: Date
}

/// One final shift: who holds a role from when to when, after layers and overrides.
struct ShiftDTO: Codable, Sendable {
    var role: OnCallRole
    var person: PersonRefDTO
    var start: String
    var end: String
}

/// An escalation policy: its spec and id.
struct PolicyDTO: Codable, Sendable {
    var id: UUID
    var name: String
    var steps: [EscalationPolicySpec.Step]
    var repeats: Int

    init(_ policy: EscalationPolicy) {
        let spec = EscalationPolicySpec(policy)
        id = policy.id
        name = spec.name
        steps = spec.steps
        repeats = policy.repeats
    }
}

/// A page as the API shows it, with its history when asked for one page.
struct PageDTO: Codable, Sendable {
    struct Event: Codable, Sendable {
        var at: String
        var kind: PageEvent.Kind
        var step: Int?
        var person: PersonRefDTO?
        var detail: String?
    }

    var id: UUID
    var ticket: String?
    var policyId: UUID
    var title: String
    var severity: Severity
    var origin: OnCallPage.Origin
    var status: OnCallPage.Status
    var startedAt: String
    var startedBy: PersonRefDTO?
    var nextStep: Int
    var nextStepAt: String?
    var acknowledgedBy: PersonRefDTO?
    var acknowledgedAt: String?
    var resolvedAt: String?
    var events: [Event]?

    /// A page as a list shows it, with the names its desk read.
    init(_ page: OnCallPage, named: OnCallDesk.PagesWithNames, events: [PageEvent]?) {
        self.init(page, ticket: page.ticketID.flatMap { named.references[$0] }, people: named.people, events: events)
    }

    /// A page with its history.
    init(_ detail: PagingDesk.Detail) {
        self.init(detail.page, named: detail.named, events: detail.events)
    }

    init(_ page: OnCallPage, ticket: String?, people: [UUID: Person], events: [PageEvent]? = nil) {
        func ref(_ id: UUID?) -> PersonRefDTO? { id.map { PersonRefDTO(id: $0, name: people[$0]?.name) } }
        id = page.id
        self.ticket = ticket
        policyId = page.policyID
        title = page.title
        severity = page.severity
        origin = page.origin
        status = page.status
        startedAt = Timestamp.format(page.startedAt)
        startedBy = ref(page.startedBy)
        nextStep = page.nextStep
        nextStepAt = page.nextStepAt.map(Timestamp.format)
        acknowledgedBy = ref(page.acknowledgedBy)
        acknowledgedAt = page.acknowledgedAt.map(Timestamp.format)
        resolvedAt = page.resolvedAt.map(Timestamp.format)
        self.events = events?
            .map {
                Event(
                    at: Timestamp.format($0.at),
                    kind: $0.kind,
                    step: $0.step,
                    person: ref($0.personID),
                    detail: $0.detail
                )
            }
    }
}

struct NewPageDTO: Decodable, Sendable {
    /// The ticket the page is about (`TD-12`), if any.
    var ticket: String?
    /// The policy to walk; by default the one for the severity in the paging settings.
    var policyId: UUID?
    var title: String?
    var severity: Severity?
}

struct ContactMethodsDTO: Codable, Sendable {
    var methods: [ContactMethod]
}

struct NewFeedDTO: Decodable, Sendable {
    var scheduleId: UUID?
    var personId: UUID?
}

/// A calendar feed's address; the token in it is shown only here.
struct FeedDTO: Codable, Sendable {
    var url: String
}

struct PagingSecretDTO: Codable, Sendable {
    var secret: String
}
