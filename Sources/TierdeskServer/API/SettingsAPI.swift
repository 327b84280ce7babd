import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/settings/priority-matrix` and `/api/v1/tokens`.
struct SettingsAPI {
    let settings: SettingsDesk
    let directory: DirectoryDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/priority-matrix") { _, _ in
            let matrix = try await settings.priorityMatrix()
            return try JSONBody.response(PriorityMatrixDTO(entries: matrix.entries.map(PriorityMatrixDTO.Entry.init)))
        }
        routes.signedIn(.put, "/api/v1/settings/priority-matrix") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(PriorityMatrixDTO.self, from: request)
            let matrix: PriorityMatrix
            do {
                matrix = try PriorityMatrix(
                    entries: input.entries.map {
                        .init(impact: $0.impact, urgency: $0.urgency, priority: $0.priority)
                    }
                )
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            try await settings.save(matrix, by: context.actor)
            return try JSONBody.response(PriorityMatrixDTO(entries: matrix.entries.map(PriorityMatrixDTO.Entry.init)))
        }

        routes.signedIn(.get, "/api/v1/tokens") { _, context in
            try JSONBody.response(try await directory.tokens(for: context.actor).map(TokenDTO.init))
        }
        routes.signedIn(.post, "/api/v1/tokens") { request, context in
            try TierdeskError.check(AccessPolicy.decide(.manageOwnTokens, by: context.actor), notFound: "")
            let input = try await JSONBody.decode(NewTokenDTO.self, from: request)
            let (info, secret) = try await directory.issueToken(
                name: input.name,
                for: input.personId,
                by: context.actor
            )
            let issued = IssuedTokenDTO(
                id: info.id,
                name: info.name,
                personId: info.personID,
                token: secret,
                createdAt: Timestamp.format(info.createdAt)
            )
            return try JSONBody.response(issued, status: .created)
        }
        routes.signedIn(.delete, "/api/v1/tokens/{tokenId}") { _, context in
            try await directory.revokeToken(try context.uuidParameter("tokenId", what: "token"), by: context.actor)
            return Response(status: .noContent)
        }
    }
}
