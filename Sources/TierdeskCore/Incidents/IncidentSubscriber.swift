import Foundation

/// Someone outside the desk who receives a major incident's updates: an address or list, a webhook, or a
/// chat channel's incoming webhook. A subscriber may be narrowed to a service, an organisation or both;
/// without either it receives every incident's updates.
public struct IncidentSubscriber: Sendable, Equatable, Identifiable {
    public enum Kind: String, StringEnum, Sendable {
        /// A mail address or list.
        case email
        /// A JSON POST of the update (``IncidentWebhookBody``).
        case webhook
        /// A Slack-compatible incoming webhook (also Mattermost and Rocket.Chat).
        case slack
        /// A Microsoft Teams incoming webhook (Adaptive Card message).
        case teams
    }

    public var id: UUID
    public var kind: Kind
    /// The mail address or URL.
    public var target: String
    public var serviceID: UUID?
    public var organisationID: UUID?
    /// Whether calls may go to a private address (admins only).
    public var allowPrivateTargets: Bool
    public var createdAt: Date

    public init(
        id: UUID = .timeOrdered(),
        kind: Kind,
        target: String,
        serviceID: UUID?,
        organisationID: UUID?,
        allowPrivateTargets: Bool = false,
        createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.target = target
        self.serviceID = serviceID
        self.organisationID = organisationID
        self.allowPrivateTargets = allowPrivateTargets
        self.createdAt = createdAt
    }

    /// Whether this subscriber receives the updates of `incident`.
    public func receives(_ incident: MajorIncident) -> Bool {
        (serviceID.map(incident.serviceIDs.contains) ?? true)
            && (organisationID.map(incident.organisationIDs.contains) ?? true)
    }

    /// Checks the target for the kind: a mail address, or an http(s) URL that is not private unless allowed.
    public static func checkedTarget(_ text: String, kind: Kind, allowPrivateTargets: Bool)
        throws(FieldError) -> String
    {
        switch kind {
        case .email:
            let address = text.trimmingWhitespace()
            guard address.count <= 254, Person.isPlausibleEmail(address) else {
                throw FieldError(field: "target", message: "must be a mail address such as ops@example.com")
            }
            return address
        case .webhook, .slack, .teams:
            return
                try WebhookTarget.checked(
                    text,
                    field: "target",
                    allowPrivateTargets: allowPrivateTargets,
                    permission: "only admins may allow private targets"
                )
                .url.absoluteString
        }
    }
}
