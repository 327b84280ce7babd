import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Time off in lieu (`/api/v1/oncall/time-off`) as JSON and CSV, and work logged on Sev1/Sev2 tickets.
struct TimeOffAPI {
    let timeOffDesk: TimeOffDesk

    func register(_ routes: APIRoutes) {
        let desk = timeOffDesk

        routes.signedIn(.get, "/api/v1/oncall/time-off") { request, context in
            let statement = try await Self.statement(request, context, desk)
            return try JSONBody.response(TimeOffDTO(statement))
        }
        routes.signedIn(.get, "/api/v1/oncall/time-off.csv") { request, context in
            let statement = try await Self.statement(request, context, desk)
            return CSVText.response(TimeOffDTO.csv(statement), filename: "time-off-in-lieu-\(statement.month).csv")
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/work") { request, context in
            let actor = context.identity.actor
            let reference = try context.pathParameter("reference")
            let input = try await JSONBody.decode(NewLoggedWorkDTO.self, from: request)
            let entry = try await desk.log(
                on: reference,
                person: input.personId,
                start: input.start,
                end: input.end,
                note: input.note,
                by: actor
            )
            return try JSONBody.response(LoggedWorkDTO(entry.entry, person: entry.person), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/oncall/work/{workId}") { _, context in
            try await desk.remove(try context.uuidParameter("workId", what: "logged work"), by: context.identity.actor)
            return Response(status: .noContent)
        }
    }

    private static func statement(_ request: Request, _ context: SignedInContext, _ desk: TimeOffDesk) async throws
        -> TimeOffDesk.Statement
    {
        let actor = context.identity.actor
        var person: UUID?
        if let text = request.uri.queryParameters.get("personId") {
            guard let id = UUID(uuidString: text) else { throw Problem.badRequest(field: "personId", "must be a UUID") }
            person = id
        }
        return try await desk.statement(
            month: request.uri.queryParameters.get("month").map { String($0) },
            person: person,
            for: actor
        )
    }
}
