import Foundation
import TierdeskCore
import TierdeskStore

/// Outgoing webhook subscriptions; admins only. The secret that signs deliveries is shown once.
struct WebhookDesk: Sendable {
    let clock: any Clock
    let webhooks: WebhookRepository

    func subscriptions(for actor: Actor) async throws -> [WebhookSubscription] {
        try DirectoryDesk.requireConfigure(actor)
        return try await webhooks.all()
    }

    /// Subscribes `url` to `events`; returns the subscription and its signing secret.
    func subscribe(
        url: String,
        events: [String],
        allowPrivateTargets: Bool,
        by actor: Actor
    ) async throws -> (WebhookSubscription, String) {
        try DirectoryDesk.requireConfigure(actor)
        let (target, types): (WebhookTarget, Set<WebhookSubscription.EventType>)
        do {
            (target, types) = try WebhookSubscription.validate(
                url: url,
                events: events,
                allowPrivateTargets: allowPrivateTargets
            )
        } catch {
            throw TierdeskError.invalid(error)
        }
        let subscription = WebhookSubscription(
            id: UUID(),
            url: target.url.absoluteString,
            events: types,
            allowPrivateTargets: allowPrivateTargets,
            createdAt: clock.now()
        )
        let secret = Secrets.token(prefix: "whsec_")
        try await webhooks.create(subscription, secret: secret)
        return (subscription, secret)
    }

    func revoke(_ id: UUID, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        guard try await webhooks.revoke(id, at: clock.now()) else {
            throw TierdeskError.notFound("No live webhook subscription has the id \(id.uuidString).")
        }
    }
}
