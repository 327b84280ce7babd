import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/known-errors` (the Known Error Database), a ticket's suggested articles and applying one.
struct KnownErrorsAPI {
    let ticketDesk: TicketDesk
    let knownErrorDesk: KnownErrorDesk

    func register(_ routes: APIRoutes) {
        let articles = knownErrorDesk
        routes.signedIn(.get, "/api/v1/known-errors") { request, context in
            let actor = context.identity.actor
            try articles.requireReader(actor)
            let limit = try request.uri.queryParameters.int("limit", in: 1...100, default: 20)
            let text = try request.uri.queryParameters.text("q", maxCharacters: 2000) ?? ""
            let found = try await articles.articles(matching: text, limit: limit, for: actor)
            return try JSONBody.response(found.map(KnownErrorDTO.init))
        }
        routes.signedIn(.post, "/api/v1/known-errors") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(KnownErrorInputDTO.self, from: request)
            return try JSONBody.response(
                KnownErrorDTO(try await articles.create(input.draft, problemTicket: input.problemTicket, by: actor)),
                status: .created
            )
        }
        routes.signedIn(.get, "/api/v1/known-errors/{knownError}") { _, context in
            let actor = context.identity.actor
            return try JSONBody.response(
                KnownErrorDTO(try await articles.article(try context.pathParameter("knownError"), for: actor))
            )
        }
        routes.signedIn(.put, "/api/v1/known-errors/{knownError}") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(KnownErrorInputDTO.self, from: request)
            return try JSONBody.response(
                KnownErrorDTO(
                    try await articles.update(
                        try context.pathParameter("knownError"),
                        with: input.draft,
                        problemTicket: input.problemTicket,
                        by: actor
                    )
                )
            )
        }
        routes.signedIn(.get, "/api/v1/tickets/{reference}/suggestions") { _, context in
            let actor = context.identity.actor
            let (ticket, _) = try await ticketDesk.ticket(try context.pathParameter("reference"), for: actor)
            try articles.requireReader(actor)
            return try JSONBody.response(try await ticketDesk.suggestions(for: ticket).map(KnownErrorDTO.init))
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/known-error") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(ApplyKnownErrorDTO.self, from: request)
            let ticket = try await ticketDesk.applyKnownError(
                input.knownError,
                to: try context.pathParameter("reference"),
                resolve: input.resolve ?? false,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }
    }
}
