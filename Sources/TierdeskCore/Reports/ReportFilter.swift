import Foundation

/// Which tickets a report counts. Each field narrows by the ticket's current value; nil counts all.
public struct ReportFilter: Sendable, Equatable {
    public var organisationID: UUID?
    public var serviceID: UUID?
    public var group: String?
    public var tier: Tier?
    public var priority: Priority?
    public var severity: Severity?
    public var channel: Channel?

    public init(
        organisationID: UUID? = nil,
        serviceID: UUID? = nil,
        group: String? = nil,
        tier: Tier? = nil,
        priority: Priority? = nil,
        severity: Severity? = nil,
        channel: Channel? = nil
    ) {
        self.organisationID = organisationID
        self.serviceID = serviceID
        self.group = group
        self.tier = tier
        self.priority = priority
        self.severity = severity
        self.channel = channel
    }

    /// Whether the filter counts `facts`.
    public func matches(_ facts: TicketFacts) -> Bool {
        (organisationID.map { $0 == facts.organisationID } ?? true)
            && (serviceID.map { $0 == facts.serviceID } ?? true)
            && (group.map { $0 == facts.group } ?? true)
            && (tier.map { $0 == facts.tier } ?? true)
            && (priority.map { $0 == facts.priority } ?? true)
            && (severity.map { $0 == facts.severity } ?? true)
            && (channel.map { $0 == facts.channel } ?? true)
    }
}
