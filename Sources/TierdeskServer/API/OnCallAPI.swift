import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// On-call schedules, their overrides, shifts and coverage, escalation policies and calendar feed
/// tokens (`/api/v1/oncall/…`). Staff read; managers and admins change.
struct OnCallAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let oncall: OnCallRepository
    let oncallDesk: OnCallDesk
    let pageLinks: PageLinks

    func register(_ routes: APIRoutes) {
        let desk = oncallDesk

        routes.signedIn(.get, "/api/v1/oncall/schedules") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            return try JSONBody.response(try await scheduleDTOs(try await oncall.storedSchedules()))
        }
        routes.signedIn(.post, "/api/v1/oncall/schedules") { request, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let id = UUID()
            _ = try await desk.saveSchedule(try await JSONBody.decode(OnCallScheduleSpec.self, from: request), id: id, replacing: false, at: clock.now())
            return try JSONBody.response(try await scheduleDTO(id), status: .created)
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            return try JSONBody.response(try await scheduleDTO(try context.uuidParameter("scheduleId", what: "schedule")))
        }
        routes.signedIn(.put, "/api/v1/oncall/schedules/{scheduleId}") { request, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            guard try await desk.saveSchedule(try await JSONBody.decode(OnCallScheduleSpec.self, from: request), id: id, replacing: true, at: clock.now()) else {
                throw Problem(.notFound, "No schedule has the id \(id.uuidString).")
            }
            return try JSONBody.response(try await scheduleDTO(id))
        }
        routes.signedIn(.delete, "/api/v1/oncall/schedules/{scheduleId}") { _, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            guard try await oncall.deleteSchedule(id) else { throw Problem(.notFound, "No schedule has the id \(id.uuidString).") }
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}/shifts") { request, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let now = clock.now()
            let from = try Self.timeParameter(request, "from") ?? now
            let until = try Self.timeParameter(request, "until") ?? from.addingTimeInterval(28 * 86_400)
            guard until > from else { throw Problem.badRequest(field: "until", "must be after from") }
            guard until.timeIntervalSince(from) <= 366 * 86_400 else { throw Problem.badRequest(field: "until", "must be at most a year after from") }
            guard let schedule = try await oncall.schedules([id], from: from, until: until)[id] else { throw Problem(.notFound, "No schedule has the id \(id.uuidString).") }
            let shifts = OnCallRole.allCases.flatMap { schedule.shifts($0, in: from..<until) }.sorted { ($0.start, $0.role.rawValue) < ($1.start, $1.role.rawValue) }
            let people = try await directory.people(ids: Set(shifts.map(\.personID)))
            let names = Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return try JSONBody.response(shifts.map { ShiftDTO(role: $0.role, person: PersonRefDTO(id: $0.personID, name: names[$0.personID]), start: Timestamp.format($0.start), end: Timestamp.format($0.end)) })
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}/overrides") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            guard try await oncall.storedSchedule(id) != nil else { throw Problem(.notFound, "No schedule has the id \(id.uuidString).") }
            return try JSONBody.response(try await oncall.overrides(of: id, endingAfter: clock.now()).map(OverrideDTO.init))
        }
        routes.signedIn(.post, "/api/v1/oncall/schedules/{scheduleId}/overrides") { request, context in
            let actor = context.identity.actor
            try OnCallDesk.require(.manageOnCall, actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let input = try await JSONBody.decode(NewOverrideDTO.self, from: request)
            let now = clock.now()
            let override = OnCallOverride(role: input.role, personID: input.personId, start: input.start, end: input.end, createdAt: now)
            try await desk.addOverride(override, to: id, by: actor, at: now)
            return try JSONBody.response(OverrideDTO(override), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/oncall/schedules/{scheduleId}/overrides/{overrideId}") { _, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let overrideID = try context.uuidParameter("overrideId", what: "override")
            try await desk.removeOverride(overrideID, of: id, at: clock.now())
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/oncall/coverage") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            return try JSONBody.response(try await coverageDTO())
        }

        routes.signedIn(.get, "/api/v1/oncall/policies") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            return try JSONBody.response(try await oncall.policies().map(PolicyDTO.init))
        }
        routes.signedIn(.post, "/api/v1/oncall/policies") { request, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let (policy, _) = try await desk.savePolicy(try await JSONBody.decode(EscalationPolicySpec.self, from: request), id: UUID(), replacing: false, at: clock.now())
            return try JSONBody.response(PolicyDTO(policy), status: .created)
        }
        routes.signedIn(.get, "/api/v1/oncall/policies/{policyId}") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            let id = try context.uuidParameter("policyId", what: "escalation policy")
            guard let policy = try await oncall.policy(id) else { throw Problem(.notFound, "No escalation policy has the id \(id.uuidString).") }
            return try JSONBody.response(PolicyDTO(policy))
        }
        routes.signedIn(.put, "/api/v1/oncall/policies/{policyId}") { request, context in
            try OnCallDesk.require(.manageOnCall, context.identity.actor)
            let id = try context.uuidParameter("policyId", what: "escalation policy")
            let (policy, saved) = try await desk.savePolicy(try await JSONBody.decode(EscalationPolicySpec.self, from: request), id: id, replacing: true, at: clock.now())
            guard saved else { throw Problem(.notFound, "No escalation policy has the id \(id.uuidString).") }
            return try JSONBody.response(PolicyDTO(policy))
        }

        routes.signedIn(.post, "/api/v1/oncall/feeds") { request, context in
            let actor = context.identity.actor
            try OnCallDesk.require(.viewOnCall, actor)
            let input = try await JSONBody.decode(NewFeedDTO.self, from: request)
            let subject: OnCallRepository.FeedSubject
            switch (input.scheduleId, input.personId) {
            case (let id?, nil):
                guard try await oncall.storedSchedule(id) != nil else { throw Problem(.notFound, "No schedule has the id \(id.uuidString).") }
                subject = .schedule(id)
            case (nil, let id?):
                try TierdeskError.check(AccessPolicy.decidePagingContacts(of: id, by: actor), notFound: "")
                guard try await directory.person(id) != nil else { throw Problem(.notFound, "No person has the id \(id.uuidString).") }
                subject = .person(id)
            default:
                throw TierdeskError.invalid(ValidationFailure(field: "scheduleId", message: "name either scheduleId or personId"))
            }
            let token = Secrets.token(prefix: "cal_")
            try await oncall.issueFeed(subject, tokenHash: Secrets.hash(token), at: clock.now())
            return try JSONBody.response(FeedDTO(url: "\(pageLinks.baseURL)/calendar/\(token).ics"), status: .created)
        }
    }

    /// An optional RFC 3339 query parameter.
    static func timeParameter(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = Timestamp.parse(text) else { throw Problem.badRequest(field: name, "must be an RFC 3339 date-time such as 2026-03-06T21:30:00Z") }
        return date
    }

    func scheduleDTO(_ id: UUID) async throws -> ScheduleDTO {
        guard let stored = try await oncall.storedSchedule(id) else { throw Problem(.notFound, "No schedule has the id \(id.uuidString).") }
        return try await scheduleDTOs([stored])[0]
    }

    func scheduleDTOs(_ stored: [OnCallRepository.StoredSchedule]) async throws -> [ScheduleDTO] {
        let now = try await oncallDesk.schedulesAt(stored, now: clock.now())
        return now.schedules.map { ScheduleDTO($0.stored, onCall: $0.onCall, names: now.names) }
    }

    func coverageDTO() async throws -> OnCallCoverageDTO {
        let stored = try await oncall.storedSchedules()
        let ratio = ScheduleCoverage.combinedRatio(stored.compactMap(\.coverage))
        return OnCallCoverageDTO(percent: ScheduleCoverageDTO.percent(ratio), goalPercent: 100, weeks: ScheduleCoverage.defaultWeeks,
                                 schedules: stored.map { item in .init(scheduleId: item.id, name: item.spec.name, coverage: item.coverage.map { ScheduleCoverageDTO($0, checkedAt: item.coverageCheckedAt) }) })
    }
}
