import Foundation

/// An admin's subscription: ticket events of the chosen types are posted as signed JSON to one URL,
/// through the outbox.
public struct WebhookSubscription: Sendable, Equatable, Identifiable {
    /// What a subscription may listen to.
    public enum EventType: String, StringEnum, Sendable {
        case ticketCreated = "ticket.created"
        case ticketStatusChanged = "ticket.status_changed"
        case ticketAssigned = "ticket.assigned"
        case ticketEscalated = "ticket.escalated"
        case ticketPublicReply = "ticket.public_reply"

        /// The type a ticket event raises, if any. Internal notes and corrections raise none.
        public init?(_ event: TicketEvent) {
            switch event.kind {
            case .created: self = .ticketCreated
            case .statusChanged: self = .ticketStatusChanged
            case .assigned: self = .ticketAssigned
            case .escalated: self = .ticketEscalated
            case .publicReply: self = .ticketPublicReply
            default: return nil
            }
        }
    }

    public var id: UUID
    public var url: String
    public var events: Set<EventType>
    /// Whether the URL may point into private, loopback or link-local networks (an admin's explicit choice).
    public var allowPrivateTargets: Bool
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: UUID,
        url: String,
        events: Set<EventType>,
        allowPrivateTargets: Bool,
        createdAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.allowPrivateTargets = allowPrivateTargets
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Checks a new subscription; every offending field is named.
    public static func validate(url: String, events: [String], allowPrivateTargets: Bool) throws(ValidationFailure) -> (
        WebhookTarget, Set<EventType>
    ) {
        var errors: [FieldError] = []
        var target: WebhookTarget?
        do {
            target = try WebhookTarget.checked(
                url,
                field: "url",
                allowPrivateTargets: allowPrivateTargets,
                permission: "an admin must set allowPrivateTargets to send there"
            )
        } catch {
            errors.append(error)
        }
        var types: Set<EventType> = []
        if events.isEmpty { errors.append(FieldError(field: "events", message: "must name at least one event type")) }
        for name in events {
            if let type = EventType(rawValue: name) {
                types.insert(type)
            } else {
                errors.append(
                    FieldError(
                        field: "events",
                        message:
                            "\(name.prefix(60)) is not an event type; use \(EventType.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                )
            }
        }
        guard errors.isEmpty, let target else { throw ValidationFailure(errors) }
        return (target, types)
    }
}
