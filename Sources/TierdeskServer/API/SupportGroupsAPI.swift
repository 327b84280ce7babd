import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/groups`: support groups and the leads SLA escalation turns to. Staff read, admins change.
struct SupportGroupsAPI {
    let directory: DirectoryRepository
    let groups: SupportGroupRepository

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/groups") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(try await groups.all().map(SupportGroupDTO.init))
        }
        routes.signedIn(.put, "/api/v1/groups/{name}") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            let input = try await JSONBody.decode(SupportGroupInputDTO.self, from: request)
            var lead: Person?
            if let id = input.leadId { lead = try await directory.person(id) }
            do {
                try SupportGroup.validate(name: name, lead: lead, leadRequested: input.leadId != nil)
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            let group = SupportGroup(name: name, tier: input.tier, leadID: input.leadId)
            try await groups.save(group)
            return try JSONBody.response(SupportGroupDTO(group))
        }
        routes.signedIn(.delete, "/api/v1/groups/{name}") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let name = try context.pathParameter("name")
            guard try await groups.delete(name: name) else { throw Problem(.notFound, "No group is named \(name.prefix(100)).") }
            return Response(status: .noContent)
        }
    }
}
