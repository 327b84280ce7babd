import Foundation
import Hummingbird
import TierdeskCore

/// Tier hand-offs (`/api/v1/tickets/{reference}/escalations`, `…/deescalations`) and the gates per service
/// (`/api/v1/settings/escalation-gates`).
enum EscalationsAPI {
    static func register(_ routes: APIRoutes, _ environment: TierdeskEnvironment) {
        let desk = environment.desk
        routes.on(.post, "/api/v1/tickets/{reference}/escalations") { request, context in
            let actor = try context.requireIdentity().actor
            let input = try await JSONBody.decode(EscalationDTO.self, from: request)
            let ticket = try await desk.escalate(try context.pathParameter("reference"), request: input.request, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.on(.post, "/api/v1/tickets/{reference}/deescalations") { request, context in
            let actor = try context.requireIdentity().actor
            let input = try await JSONBody.decode(DeescalationDTO.self, from: request)
            let ticket = try await desk.deescalate(try context.pathParameter("reference"), to: input.tier, note: input.note, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.on(.post, "/api/v1/tickets/{reference}/workaround") { request, context in
            let actor = try context.requireIdentity().actor
            let input = try await JSONBody.decode(WorkaroundDTO.self, from: request)
            let ticket = try await desk.applyWorkaround(try context.pathParameter("reference"), description: input.description, downgrade: input.downgrade ?? false, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.on(.get, "/api/v1/settings/escalation-gates") { _, context in
            try DirectoryDesk.requireDirectory(try context.requireIdentity().actor)
            return try JSONBody.response(try await environment.settings.escalationGates())
        }
        routes.on(.put, "/api/v1/settings/escalation-gates") { request, context in
            try DirectoryDesk.requireConfigure(try context.requireIdentity().actor)
            let gates = try await JSONBody.decode(EscalationGateSettings.self, from: request)
            for id in gates.services.keys.sorted(by: { $0.uuidString < $1.uuidString }) where try await environment.directory.service(id) == nil {
                throw TierdeskError.invalid(field: "services.\(id.uuidString)", "no service has this id")
            }
            try await environment.settings.save(gates)
            environment.escalationGates.saved(gates, at: environment.clock.now())
            return try JSONBody.response(gates)
        }
    }
}
