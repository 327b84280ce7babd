import Foundation
import Hummingbird
import TierdeskCore

/// Major incidents (`/api/v1/incidents`): declare, read, amend, send updates (with a preview), write the
/// review and close; their subscribers and policy; and the public status page as JSON.
struct IncidentsAPI {
    let desk: IncidentDesk

    func register(_ routes: APIRoutes) {
        let desk = desk
        routes.on(.get, "/api/v1/status") { _, _ in
            try JSONBody.response(StatusPageDTO(try await desk.statusPage()), headers: StatusPages.cacheHeaders)
        }
        routes.signedIn(.get, "/api/v1/incidents") { request, context in
            let states = try request.enumQuery("state", as: MajorIncident.State.self).map { Set([$0]) }
            return try JSONBody.response(try await desk.list(states: states, for: context.actor).map(IncidentDTO.init))
        }
        routes.signedIn(.post, "/api/v1/incidents") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentDeclarationDTO.self, from: request)
            let declared = try await desk.declare(input.declaration, by: context.actor)
            return try JSONBody.response(
                IncidentDetailDTO(try await desk.detail(of: declared, for: context.actor)),
                status: .created
            )
        }
        routes.signedIn(.get, "/api/v1/incidents/{reference}") { _, context in
            let detail = try await desk.detail(try context.pathParameter("reference"), for: context.actor)
            return try JSONBody.response(IncidentDetailDTO(detail))
        }
        routes.signedIn(.patch, "/api/v1/incidents/{reference}") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentAmendmentDTO.self, from: request)
            let amended = try await desk.amend(
                try context.pathParameter("reference"),
                input.amendment,
                by: context.actor
            )
            return try JSONBody.response(IncidentDetailDTO(try await desk.detail(of: amended, for: context.actor)))
        }
        routes.signedIn(.post, "/api/v1/incidents/{reference}/updates") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentUpdateInputDTO.self, from: request)
            let (_, update) = try await desk.post(
                try context.pathParameter("reference"),
                input.input,
                by: context.actor
            )
            return try JSONBody.response(IncidentUpdateDTO(update), status: .created)
        }
        routes.signedIn(.post, "/api/v1/incidents/{reference}/updates/preview") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentUpdateInputDTO.self, from: request)
            let text = try await desk.preview(try context.pathParameter("reference"), input.input, for: context.actor)
            return try JSONBody.response(IncidentPreviewDTO(message: text))
        }
        routes.signedIn(.put, "/api/v1/incidents/{reference}/review") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentReviewInputDTO.self, from: request)
            let reviewed = try await desk.review(
                try context.pathParameter("reference"),
                input.review.review,
                version: input.version,
                by: context.actor
            )
            return try JSONBody.response(IncidentDetailDTO(try await desk.detail(of: reviewed, for: context.actor)))
        }
        routes.signedIn(.post, "/api/v1/incidents/{reference}/review/share") { _, context in
            let reached = try await desk.shareReview(try context.pathParameter("reference"), by: context.actor)
            return try JSONBody.response(["subscribers": reached])
        }
        routes.signedIn(.post, "/api/v1/incidents/{reference}/close") { request, context in
            try IncidentDesk.require(.runIncidents, context.actor)
            let input = try await JSONBody.decode(IncidentVersionDTO.self, from: request)
            let closed = try await desk.close(
                try context.pathParameter("reference"),
                version: input.version,
                by: context.actor
            )
            return try JSONBody.response(IncidentDetailDTO(try await desk.detail(of: closed, for: context.actor)))
        }
        routes.signedIn(.get, "/api/v1/settings/incidents") { _, context in
            try JSONBody.response(try await desk.policy(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/incidents") { request, context in
            try IncidentDesk.require(.manageIncidentSubscribers, context.actor)
            let input = try await JSONBody.decode(IncidentPolicy.self, from: request)
            return try JSONBody.response(try await desk.save(input, by: context.actor))
        }
        routes.signedIn(.get, "/api/v1/settings/incident-subscribers") { _, context in
            try JSONBody.response(try await desk.subscribers(for: context.actor).map(IncidentSubscriberDTO.init))
        }
        routes.signedIn(.post, "/api/v1/settings/incident-subscribers") { request, context in
            try IncidentDesk.require(.manageIncidentSubscribers, context.actor)
            let input = try await JSONBody.decode(IncidentSubscriberInputDTO.self, from: request)
            let added = try await desk.subscribe(
                IncidentDesk.NewSubscriber(
                    kind: input.kind,
                    target: input.target,
                    serviceID: input.serviceId,
                    organisationID: input.organisationId,
                    allowPrivateTargets: input.allowPrivateTargets ?? false
                ),
                by: context.actor
            )
            return try JSONBody.response(IncidentSubscriberDTO(added), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/settings/incident-subscribers/{subscriberId}") { _, context in
            let id = try context.uuidParameter("subscriberId", what: "subscriber")
            try await desk.unsubscribe(id, by: context.actor)
            return Response(status: .noContent)
        }
    }
}
