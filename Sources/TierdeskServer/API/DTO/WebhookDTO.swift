import Foundation
import TierdeskCore

/// A webhook subscription as admins see it; the signing secret only once, on creation.
struct WebhookDTO: Codable, Sendable {
    var id: UUID
    var url: String
    var events: [WebhookSubscription.EventType]
    var allowPrivateTargets: Bool
    var createdAt: String
    var revokedAt: String?
    var secret: String?

    init(_ subscription: WebhookSubscription, secret: String? = nil) {
        id = subscription.id
        url = subscription.url
        events = subscription.events.sorted { $0.rawValue < $1.rawValue }
        allowPrivateTargets = subscription.allowPrivateTargets
        createdAt = Timestamp.format(subscription.createdAt)
        revokedAt = subscription.revokedAt.map(Timestamp.format)
        self.secret = secret
    }
}

struct NewWebhookDTO: Decodable, Sendable {
    var url: String
    var events: [String]
    var allowPrivateTargets: Bool?
}
