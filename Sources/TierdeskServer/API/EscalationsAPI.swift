import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Tier hand-offs (`/api/v1/tickets/{reference}/escalations`, `…/deescalations`) and the gates per service
/// (`/api/v1/settings/escalation-gates`).
struct EscalationsAPI {
    let ticketDesk: TicketDesk
    let settings: SettingsDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.post, "/api/v1/tickets/{reference}/escalations") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(EscalationDTO.self, from: request)
            let ticket = try await ticketDesk.escalate(
                try context.pathParameter("reference"),
                request: input.request,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/deescalations") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(DeescalationDTO.self, from: request)
            let ticket = try await ticketDesk.deescalate(
                try context.pathParameter("reference"),
                to: input.tier,
                note: input.note,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.post, "/api/v1/tickets/{reference}/workaround") { request, context in
            let actor = context.identity.actor
            let input = try await JSONBody.decode(WorkaroundDTO.self, from: request)
            let ticket = try await ticketDesk.applyWorkaround(
                try context.pathParameter("reference"),
                description: input.description,
                downgrade: input.downgrade ?? false,
                expectedVersion: input.version,
                by: actor
            )
            return try JSONBody.response(TicketDTO(ticket))
        }
        routes.signedIn(.get, "/api/v1/settings/escalation-gates") { _, context in
            try JSONBody.response(try await settings.escalationGates(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/escalation-gates") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let gates = try await JSONBody.decode(EscalationGateSettings.self, from: request)
            try await settings.save(gates, by: context.actor)
            return try JSONBody.response(gates)
        }
    }
}
