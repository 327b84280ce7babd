import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/triage`: the board of unowned tickets, bulk assignment, the operations owner and the weekly report.
struct TriageAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let groups: SupportGroupRepository
    let knownErrors: KnownErrorRepository
    let triage: SettingCache<TriageSetup>
    let triageDesk: TriageDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/triage/board") { _, context in
            let actor = context.identity.actor
            let tickets = try await triageDesk.board(for: actor)
            let week = IsoWeek(containing: clock.now())
            return try JSONBody.response(TriageBoardDTO(week: week.description, operationsOwnerId: try await triageDesk.operationsOwner(for: week)?.personID, tickets: tickets.map(TicketDTO.init)))
        }
        routes.signedIn(.post, "/api/v1/triage/assignments") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(TriageAssignmentDTO.self, from: request)
            let outcomes = try await triageDesk.assign(input.tickets, to: input.ownerId, by: actor)
            return try JSONBody.response(outcomes.map(TriageOutcomeDTO.init))
        }
        routes.signedIn(.get, "/api/v1/triage/report") { request, context in
            let actor = context.identity.actor
            let week = try Self.week(request.uri.queryParameters.get("week"), now: clock.now())
            return try JSONBody.response(TriageReportDTO(try await triageDesk.report(week, for: actor)))
        }
        routes.signedIn(.get, "/api/v1/settings/triage-rules") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(try await settings.triageRules())
        }
        routes.signedIn(.put, "/api/v1/settings/triage-rules") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let rules: TriageRules
            do {
                rules = try await JSONBody.decode(TriageRules.self, from: request).validated()
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            let setup = try await TriageSetup.checked(rules, knownErrors, directory, groups)
            try await settings.save(rules)
            triage.saved(setup, at: clock.now())
            return try JSONBody.response(rules)
        }
        routes.signedIn(.put, "/api/v1/triage/operations-owner") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(OperationsOwnerDTO.self, from: request)
            guard let week = IsoWeek(input.week) else { throw TierdeskError.invalid(field: "week", "must be an ISO week such as 2026-W47") }
            if let id = input.personId {
                guard let person = try await directory.person(id), person.active, person.actor.isStaff else {
                    throw TierdeskError.invalid(field: "personId", "must be an active member of staff")
                }
            }
            try await settings.setOperationsOwner(input.personId, for: week)
            return Response(status: .noContent)
        }
    }

    /// The week a `week` parameter names; the current week when absent.
    static func week(_ text: String?, now: Date) throws -> IsoWeek {
        guard let text else { return IsoWeek(containing: now) }
        guard let week = IsoWeek(text) else { throw Problem(.badRequest, "week must be an ISO week such as 2026-W47.") }
        return week
    }
}
