import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/triage`: the board of unowned tickets, bulk assignment, the operations owner and the weekly report.
struct TriageAPI {
    let triageDesk: TriageDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/triage/board") { _, context in
            let actor = context.identity.actor
            let tickets = try await triageDesk.board(for: actor)
            let week = triageDesk.currentWeek()
            return try JSONBody.response(
                TriageBoardDTO(
                    week: week.description,
                    operationsOwnerId: try await triageDesk.operationsOwner(for: week)?.personID,
                    tickets: tickets.map(TicketDTO.init)
                )
            )
        }
        routes.signedIn(.post, "/api/v1/triage/assignments") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(TriageAssignmentDTO.self, from: request)
            let outcomes = try await triageDesk.assign(input.tickets, to: input.ownerId, by: actor)
            return try JSONBody.response(outcomes.map(TriageOutcomeDTO.init))
        }
        routes.signedIn(.get, "/api/v1/triage/report") { request, context in
            let actor = context.identity.actor
            let week = try Self.week(request.uri.queryParameters.get("week"), desk: triageDesk)
            return try JSONBody.response(TriageReportDTO(try await triageDesk.report(week, for: actor)))
        }
        routes.signedIn(.get, "/api/v1/settings/triage-rules") { _, context in
            try JSONBody.response(try await triageDesk.rules(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/triage-rules") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let rules: TriageRules
            do {
                rules = try await JSONBody.decode(TriageRules.self, from: request).validated()
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            try await triageDesk.save(rules, by: context.actor)
            return try JSONBody.response(rules)
        }
        routes.signedIn(.put, "/api/v1/triage/operations-owner") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(OperationsOwnerDTO.self, from: request)
            guard let week = IsoWeek(input.week) else {
                throw TierdeskError.invalid(field: "week", "must be an ISO week such as 2026-W47")
            }
            try await triageDesk.setOperationsOwner(input.personId, for: week, by: context.actor)
            return Response(status: .noContent)
        }
    }

    /// The week a `week` parameter names (`2026-W47`); the current week when absent.
    static func week(_ text: String?, desk: TriageDesk) throws -> IsoWeek {
        guard let text else { return desk.currentWeek() }
        guard let week = IsoWeek(text) else { throw Problem(.badRequest, "week must be an ISO week such as 2026-W47.") }
        return week
    }
}
