import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Time off in lieu (`/api/v1/oncall/time-off`) as JSON and CSV; time is logged through ``BillingAPI``.
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
