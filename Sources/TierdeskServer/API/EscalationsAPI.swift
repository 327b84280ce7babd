import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Tier hand-offs (`/api/v1/tickets/{reference}/escalations`, `…/deescalations`) and the gates per service
/// (`/api/v1/settings/escalation-gates`).
struct EscalationsAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let escalationGates: SettingCache<EscalationGateSettings>
    let ticketDesk: TicketDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.post, "/api/v1/tickets/{reference}/escalations") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(EscalationDTO.self, from: request)
            let ticket = try await ticketDesk.escalate(try context.pathParameter("reference"), request: input.request, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/deescalations") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(DeescalationDTO.self, from: request)
            let ticket = try await ticketDesk.deescalate(try context.pathParameter("reference"), to: input.tier, note: input.note, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/workaround") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(WorkaroundDTO.self, from: request)
            let ticket = try await ticketDesk.applyWorkaround(try context.pathParameter("reference"), description: input.description, downgrade: input.downgrade ?? false, expectedVersion: input.version, by: actor)
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.get, "/api/v1/settings/escalation-gates") { _, context in
            try DirectoryDesk.requireDirectory(context.identity.actor)
            return try JSONBody.response(try await settings.escalationGates())
        }
        routes.signedIn(.put, "/api/v1/settings/escalation-gates") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let gates = try await JSONBody.decode(EscalationGateSettings.self, from: request)
            for id in gates.services.keys.sorted(by: { $0.uuidString < $1.uuidString }) where try await directory.service(id) == nil {
                throw TierdeskError.invalid(field: "services.\(id.uuidString)", "no service has this id")
            }
            try await settings.save(gates)
            escalationGates.saved(gates, at: clock.now())
            return try JSONBody.response(gates)
        }
    }
}
