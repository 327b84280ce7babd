import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// On-call schedules, their overrides, shifts and coverage, escalation policies and calendar feed
/// tokens (`/api/v1/oncall/…`). Staff read; managers and admins change.
struct OnCallAPI {
    let desk: OnCallDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/oncall/schedules") { _, context in
            try JSONBody.response(try await scheduleDTOs(try await desk.storedSchedules(for: context.actor)))
        }
        routes.signedIn(.post, "/api/v1/oncall/schedules") { request, context in
            try OnCallDesk.require(.manageOnCall, context.actor)
            let spec = try await JSONBody.decode(OnCallScheduleSpec.self, from: request)
            let id = try await desk.saveSchedule(spec, id: nil, by: context.actor)
            return try JSONBody.response(try await scheduleDTO(id, context.actor), status: .created)
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}") { _, context in
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            return try JSONBody.response(try await scheduleDTO(id, context.actor))
        }
        routes.signedIn(.put, "/api/v1/oncall/schedules/{scheduleId}") { request, context in
            try OnCallDesk.require(.manageOnCall, context.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let spec = try await JSONBody.decode(OnCallScheduleSpec.self, from: request)
            _ = try await desk.saveSchedule(spec, id: id, by: context.actor)
            return try JSONBody.response(try await scheduleDTO(id, context.actor))
        }
        routes.signedIn(.delete, "/api/v1/oncall/schedules/{scheduleId}") { _, context in
            try await desk.deleteSchedule(try context.uuidParameter("scheduleId", what: "schedule"), by: context.actor)
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}/shifts") { request, context in
            try OnCallDesk.require(.viewOnCall, context.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let (shifts, names) = try await desk.shifts(of: id, in: try window(request), for: context.actor)
            return try JSONBody.response(
                shifts.map {
                    ShiftDTO(
                        role: $0.role,
                        person: PersonRefDTO(id: $0.personID, name: names[$0.personID]),
                        start: Timestamp.format($0.start),
                        end: Timestamp.format($0.end)
                    )
                }
            )
        }
        routes.signedIn(.get, "/api/v1/oncall/schedules/{scheduleId}/overrides") { _, context in
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            return try JSONBody.response(try await desk.overrides(of: id, for: context.actor).map(OverrideDTO.init))
        }
        routes.signedIn(.post, "/api/v1/oncall/schedules/{scheduleId}/overrides") { request, context in
            try OnCallDesk.require(.manageOnCall, context.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let input = try await JSONBody.decode(NewOverrideDTO.self, from: request)
            let override = try await desk.addOverride(
                role: input.role,
                personID: input.personId,
                start: input.start,
                end: input.end,
                to: id,
                by: context.actor
            )
            return try JSONBody.response(OverrideDTO(override), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/oncall/schedules/{scheduleId}/overrides/{overrideId}") { _, context in
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let overrideID = try context.uuidParameter("overrideId", what: "override")
            try await desk.removeOverride(overrideID, of: id, by: context.actor)
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/oncall/coverage") { _, context in
            let stored = try await desk.storedSchedules(for: context.actor)
            let ratio = ScheduleCoverage.combinedRatio(stored.compactMap(\.coverage))
            let coverage = OnCallCoverageDTO(
                percent: ScheduleCoverageDTO.percent(ratio),
                goalPercent: 100,
                weeks: ScheduleCoverage.defaultWeeks,
                schedules: stored.map { item in
                    .init(
                        scheduleId: item.id,
                        name: item.spec.name,
                        coverage: item.coverage.map { ScheduleCoverageDTO($0, checkedAt: item.coverageCheckedAt) }
                    )
                }
            )
            return try JSONBody.response(coverage)
        }

        routes.signedIn(.get, "/api/v1/oncall/policies") { _, context in
            try JSONBody.response(try await desk.policies(for: context.actor).map(PolicyDTO.init))
        }
        routes.signedIn(.post, "/api/v1/oncall/policies") { request, context in
            try OnCallDesk.require(.manageOnCall, context.actor)
            let spec = try await JSONBody.decode(EscalationPolicySpec.self, from: request)
            return try JSONBody.response(
                PolicyDTO(try await desk.savePolicy(spec, id: nil, by: context.actor)),
                status: .created
            )
        }
        routes.signedIn(.get, "/api/v1/oncall/policies/{policyId}") { _, context in
            let id = try context.uuidParameter("policyId", what: "escalation policy")
            return try JSONBody.response(PolicyDTO(try await desk.policy(id, for: context.actor)))
        }
        routes.signedIn(.put, "/api/v1/oncall/policies/{policyId}") { request, context in
            try OnCallDesk.require(.manageOnCall, context.actor)
            let id = try context.uuidParameter("policyId", what: "escalation policy")
            let spec = try await JSONBody.decode(EscalationPolicySpec.self, from: request)
            return try JSONBody.response(PolicyDTO(try await desk.savePolicy(spec, id: id, by: context.actor)))
        }

        routes.signedIn(.post, "/api/v1/oncall/feeds") { request, context in
            try OnCallDesk.require(.viewOnCall, context.actor)
            let input = try await JSONBody.decode(NewFeedDTO.self, from: request)
            let url = try await desk.issueFeed(schedule: input.scheduleId, person: input.personId, by: context.actor)
            return try JSONBody.response(FeedDTO(url: url), status: .created)
        }
    }

    /// The `[from, until)` window of the shifts query: from now and four weeks long by default, at most a
    /// year; a window that ends before it starts is a malformed query.
    private func window(_ request: Request) throws -> Range<Date> {
        let from = try Self.timeParameter(request, "from") ?? desk.clock.now()
        let until = try Self.timeParameter(request, "until") ?? from.addingTimeInterval(28 * 86_400)
        guard until > from else { throw Problem.badRequest(field: "until", "must be after from") }
        guard until.timeIntervalSince(from) <= 366 * 86_400 else {
            throw Problem.badRequest(field: "until", "must be at most a year after from")
        }
        return from..<until
    }

    /// An optional RFC 3339 query parameter.
    static func timeParameter(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw Problem.badRequest(field: name, "must be an RFC 3339 date-time such as 2026-03-06T21:30:00Z")
        }
        return date
    }

    private func scheduleDTO(_ id: UUID, _ actor: Actor) async throws -> ScheduleDTO {
        try await scheduleDTOs([try await desk.storedSchedule(id, for: actor)])[0]
    }

    private func scheduleDTOs(_ stored: [OnCallRepository.StoredSchedule]) async throws -> [ScheduleDTO] {
        let now = try await desk.onCallNow(stored)
        return now.schedules.map { ScheduleDTO($0.stored, onCall: $0.onCall, names: now.names) }
    }
}
