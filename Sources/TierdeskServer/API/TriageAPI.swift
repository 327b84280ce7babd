import Foundation
import Hummingbird
import TierdeskCore

/// `/api/v1/triage`: the board of unowned tickets, bulk assignment, the operations owner and the weekly report.
enum TriageAPI {
    static func register(_ routes: APIRoutes, _ environment: TierdeskEnvironment) {
        let triage = TriageDesk(environment: environment)
        routes.on(.get, "/api/v1/triage/board") { _, context in
            let actor = try context.requireIdentity().actor
            let tickets = try await triage.board(for: actor)
            let week = IsoWeek(containing: environment.clock.now())
            return try JSONBody.response(TriageBoardDTO(week: week.description, operationsOwnerId: try await triage.operationsOwner(for: week)?.personID, tickets: tickets.map(TicketDTO.init)))
        }
        routes.on(.post, "/api/v1/triage/assignments") { request, context in
            let actor = try context.requireIdentity().actor
            let input = try await JSONBody.decode(TriageAssignmentDTO.self, from: request)
            let outcomes = try await triage.assign(input.tickets, to: input.ownerId, by: actor)
            return try JSONBody.response(outcomes.map(TriageOutcomeDTO.init))
        }
        routes.on(.get, "/api/v1/triage/report") { request, context in
            let actor = try context.requireIdentity().actor
            let week = try week(request.uri.queryParameters.get("week"), now: environment.clock.now())
            return try JSONBody.response(TriageReportDTO(try await triage.report(week, for: actor)))
        }
        routes.on(.get, "/api/v1/settings/triage-rules") { _, context in
            try DirectoryDesk.requireDirectory(try context.requireIdentity().actor)
            return try JSONBody.response(try await environment.settings.triageRules())
        }
        routes.on(.put, "/api/v1/settings/triage-rules") { request, context in
            try DirectoryDesk.requireConfigure(try context.requireIdentity().actor)
            let rules: TriageRules
            do {
                rules = try await JSONBody.decode(TriageRules.self, from: request).validated()
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            let setup = try await TriageSetup.checked(rules, environment.knownErrors, environment.directory, environment.groups)
            try await environment.settings.save(rules)
            environment.triage.saved(setup, at: environment.clock.now())
            return try JSONBody.response(rules)
        }
        routes.on(.put, "/api/v1/triage/operations-owner") { request, context in
            try DirectoryDesk.requireConfigure(try context.requireIdentity().actor)
            let input = try await JSONBody.decode(OperationsOwnerDTO.self, from: request)
            guard let week = IsoWeek(input.week) else { throw TierdeskError.invalid(field: "week", "must be an ISO week such as 2026-W47") }
            if let id = input.personId {
                guard let person = try await environment.directory.person(id), person.active, person.actor.isStaff else {
                    throw TierdeskError.invalid(field: "personId", "must be an active member of staff")
                }
            }
            try await environment.settings.setOperationsOwner(input.personId, for: week)
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
