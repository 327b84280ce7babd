import Foundation

/// What a caller supplies to open a ticket. Only title and description are required.
public struct TicketDraft: Sendable, Equatable {
    public var title: String
    public var description: String
    public var type: TicketType?
    public var channel: Channel?
    public var impact: Level?
    public var urgency: Level?
    public var severity: Severity?
    public var requesterID: UUID?
    public var organisationID: UUID?
    public var serviceID: UUID?
    public var tier: Tier?
    public var group: String?
    public var ownerID: UUID?
    public var requestedBy: Date?
    /// Facts for triage rules, such as `lineUtilisation` or `usersAffected` (see ``TicketAttributes``).
    public var attributes: [String: String] = [:]

    public init(
        title: String,
        description: String,
        type: TicketType? = nil,
        channel: Channel? = nil,
        impact: Level? = nil,
        urgency: Level? = nil,
        severity: Severity? = nil,
        requesterID: UUID? = nil,
        organisationID: UUID? = nil,
        serviceID: UUID? = nil,
        tier: Tier? = nil,
        group: String? = nil,
        ownerID: UUID? = nil,
        requestedBy: Date? = nil
    ) {
        self.title = title
        self.description = description
        self.type = type
        self.channel = channel
        self.impact = impact
        self.urgency = urgency
        self.severity = severity
        self.requesterID = requesterID
        self.organisationID = organisationID
        self.serviceID = serviceID
        self.tier = tier
        self.group = group
        self.ownerID = ownerID
        self.requestedBy = requestedBy
    }
}
