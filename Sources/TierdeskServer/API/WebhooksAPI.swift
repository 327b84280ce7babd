import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Admin settings of outgoing webhooks (`/api/v1/settings/webhooks`): subscriptions per event type,
/// delivered through the outbox and signed with HMAC-SHA256.
struct WebhooksAPI {
    let desk: WebhookDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/webhooks") { _, context in
            try JSONBody.response(try await desk.subscriptions(for: context.actor).map { WebhookDTO($0) })
        }
        routes.signedIn(.post, "/api/v1/settings/webhooks") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(NewWebhookDTO.self, from: request)
            let (subscription, secret) = try await desk.subscribe(
                url: input.url,
                events: input.events,
                allowPrivateTargets: input.allowPrivateTargets ?? false,
                by: context.actor
            )
            return try JSONBody.response(WebhookDTO(subscription, secret: secret), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/settings/webhooks/{webhookId}") { _, context in
            try DirectoryDesk.requireConfigure(context.actor)
            try await desk.revoke(try context.uuidParameter("webhookId", what: "webhook"), by: context.actor)
            return Response(status: .noContent)
        }
    }
}
