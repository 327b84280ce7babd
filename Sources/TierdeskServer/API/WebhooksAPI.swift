import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Admin settings of outgoing webhooks (`/api/v1/settings/webhooks`): subscriptions per event type,
/// delivered through the outbox and signed with HMAC-SHA256.
struct WebhooksAPI {
    let clock: any Clock
    let webhooks: WebhookRepository

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/webhooks") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            return try JSONBody.response(try await webhooks.all().map { WebhookDTO($0) })
        }
        routes.signedIn(.post, "/api/v1/settings/webhooks") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(NewWebhookDTO.self, from: request)
            let allowPrivate = input.allowPrivateTargets ?? false
            let (target, events): (WebhookTarget, Set<WebhookSubscription.EventType>)
            do {
                (target, events) = try WebhookSubscription.validate(url: input.url, events: input.events, allowPrivateTargets: allowPrivate)
            } catch let failure as ValidationFailure {
                throw TierdeskError.invalid(failure)
            }
            let subscription = WebhookSubscription(id: UUID(), url: target.url.absoluteString, events: events, allowPrivateTargets: allowPrivate, createdAt: clock.now())
            let secret = Secrets.token(prefix: "whsec_")
            try await webhooks.create(subscription, secret: secret)
            return try JSONBody.response(WebhookDTO(subscription, secret: secret), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/settings/webhooks/{webhookId}") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("webhookId", what: "webhook")
            guard try await webhooks.revoke(id, at: clock.now()) else {
                throw Problem(.notFound, "No live webhook subscription has the id \(id.uuidString).")
            }
            return Response(status: .noContent)
        }
    }
}
