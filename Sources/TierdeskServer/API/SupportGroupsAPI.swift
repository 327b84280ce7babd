import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/groups`: support groups and the leads SLA escalation turns to. Staff read, admins change.
struct SupportGroupsAPI {
    let desk: DirectoryDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/groups") { _, context in
            try JSONBody.response(try await desk.groups(for: context.actor).map(SupportGroupDTO.init))
        }
        routes.signedIn(.put, "/api/v1/groups/{name}") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let name = try context.pathParameter("name")
            let input = try await JSONBody.decode(SupportGroupInputDTO.self, from: request)
            let group = try await desk.saveGroup(named: name, tier: input.tier, leadID: input.leadId, by: context.actor)
            return try JSONBody.response(SupportGroupDTO(group))
        }
        routes.signedIn(.delete, "/api/v1/groups/{name}") { _, context in
            try await desk.deleteGroup(named: try context.pathParameter("name"), by: context.actor)
            return Response(status: .noContent)
        }
    }
}
