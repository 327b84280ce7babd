import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/settings/priority-matrix` and `/api/v1/tokens`.
struct SettingsAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let credentials: CredentialRepository
    let settings: SettingsRepository
    let identities: TokenCache<Person>
    let priorityMatrix: SettingCache<PriorityMatrix>
    let directoryDesk: DirectoryDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/priority-matrix") { _, context in
            _ = context.identity
            let matrix = try await settings.priorityMatrix()
            return try JSONBody.response(PriorityMatrixDTO(entries: matrix.entries.map(PriorityMatrixDTO.Entry.init)))
        }
        routes.signedIn(.put, "/api/v1/settings/priority-matrix") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(PriorityMatrixDTO.self, from: request)
            let matrix: PriorityMatrix
            do {
                matrix = try PriorityMatrix(entries: input.entries.map { .init(impact: $0.impact, urgency: $0.urgency, priority: $0.priority) })
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            try await settings.save(matrix)
            priorityMatrix.saved(matrix, at: clock.now())
            return try JSONBody.response(PriorityMatrixDTO(entries: matrix.entries.map(PriorityMatrixDTO.Entry.init)))
        }

        let desk = directoryDesk
        routes.signedIn(.get, "/api/v1/tokens") { _, context in
            let actor = context.identity.actor
            return try JSONBody.response(try await credentials.tokens(personID: actor.personID).map(TokenDTO.init))
        }
        routes.signedIn(.post, "/api/v1/tokens") { request, context in
            let actor = context.identity.actor
            try TierdeskError.check(AccessPolicy.decide(.manageOwnTokens, by: actor), notFound: "")
            let input = try await JSONBody.decode(NewTokenDTO.self, from: request)
            let owner = input.personId ?? actor.personID
            if owner != actor.personID {
                try DirectoryDesk.requireConfigure(actor)
                guard try await directory.person(owner) != nil else {
                    throw TierdeskError.invalid(field: "personId", "no person has the id \(owner.uuidString)")
                }
            }
            let (info, secret) = try await desk.issueToken(name: input.name, for: owner)
            return try JSONBody.response(IssuedTokenDTO(id: info.id, name: info.name, personId: info.personID, token: secret, createdAt: Timestamp.format(info.createdAt)), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/tokens/{tokenId}") { _, context in
            let actor = context.identity.actor
            let id = try context.uuidParameter("tokenId", what: "token")
            guard let token = try await credentials.token(id),
                  token.personID == actor.personID || AccessPolicy.allows(.configure, by: actor)
            else { throw Problem(.notFound, "No token has the id \(id.uuidString).") }
            try await credentials.revokeToken(id, at: clock.now())
            identities.forget(tokenID: id)
            return Response(status: .noContent)
        }
    }
}
