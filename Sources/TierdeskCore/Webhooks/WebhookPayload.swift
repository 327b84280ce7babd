import Foundation

/// The JSON body of one webhook: which event, on which ticket, and what changed. It carries the ticket's
/// facts but never message or note bodies, so nothing a requester wrote leaves through it.
public struct WebhookPayload: Sendable, Codable, Equatable {
    public struct TicketFacts: Sendable, Codable, Equatable {
        public var reference: String
        public var title: String
        public var type: TicketType
        public var channel: Channel
        public var status: TicketStatus
        public var priority: Priority
        public var severity: Severity
        public var tier: Tier
        public var group: String?
        public var ownerId: UUID?
        public var organisationId: UUID
    }

    public struct Change: Sendable, Codable, Equatable {
        public var field: String?
        public var before: String?
        public var after: String?
    }

    /// The event's id; receivers drop a delivery whose id they have seen (deliveries are at least once).
    public var id: UUID
    public var type: WebhookSubscription.EventType
    public var occurredAt: String
    public var ticket: TicketFacts
    public var change: Change?

    public init(type: WebhookSubscription.EventType, event: TicketEvent, ticket: Ticket) {
        id = event.id
        self.type = type
        occurredAt = Timestamp.format(event.at)
        self.ticket = TicketFacts(
            reference: ticket.reference,
            title: ticket.title,
            type: ticket.type,
            channel: ticket.channel,
            status: ticket.status,
            priority: ticket.priority,
            severity: ticket.severity,
            tier: ticket.tier,
            group: ticket.group,
            ownerId: ticket.ownerID,
            organisationId: ticket.organisationID
        )
        change =
            event.kind == .created || event.kind == .publicReply
            ? nil : Change(field: event.field, before: event.before, after: event.after)
    }
}

/// A queued webhook as the outbox keeps it: where it goes, for which subscription, and the exact body,
/// which is signed at delivery with the subscription's current secret.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    public var subscriptionId: UUID
    public var url: String
    public var body: Data

    public init(subscriptionId: UUID, url: String, body: Data) {
        self.subscriptionId = subscriptionId
        self.url = url
        self.body = body
    }
}
