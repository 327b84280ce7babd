import Foundation

/// A support ticket: one request, incident, problem or alert, with its current state.
///
/// The state is the result of its ``TicketEvent``s; the events are the history.
public struct Ticket: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The number behind the human reference `TD-<number>`.
    public var number: Int
    public var type: TicketType
    public var channel: Channel
    public var title: String
    public var description: String
    public var requesterID: UUID
    public var organisationID: UUID
    public var serviceID: UUID?
    public var impact: Level
    public var urgency: Level
    public var priority: Priority
    public var severity: Severity
    public var status: TicketStatus
    public var tier: Tier
    public var group: String?
    public var ownerID: UUID?
    /// The vendor the ticket is escalated to (L4).
    public var vendorID: UUID?
    /// The vendor's own reference for it, recorded when escalating to L4.
    public var vendorReference: String?
    /// The business impact quoted when escalating to L4.
    public var businessImpact: BusinessImpact?
    /// The Known Error Database article linked to the ticket.
    public var knownErrorID: UUID?
    /// How the ticket was resolved, once it is.
    public var resolution: Resolution?
    /// Facts a channel or form supplies for triage, such as `lineUtilisation` (percent) or `usersAffected`.
    public var attributes: [String: String] = [:]
    /// Labels that triage rules or agents put on the ticket.
    public var tags: [String] = []
    public var workaroundApplied: Bool
    public var requestedBy: Date?
    /// Optimistic concurrency version; every change increments it.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// The earliest due time of its running or breached SLA clocks, stored so queues sort by it cheaply.
    public var nextDeadline: Date?

    public init(
        id: UUID,
        number: Int,
        type: TicketType,
        channel: Channel,
        title: String,
        description: String,
        requesterID: UUID,
        organisationID: UUID,
        serviceID: UUID?,
        impact: Level,
        urgency: Level,
        priority: Priority,
        severity: Severity,
        status: TicketStatus,
        tier: Tier,
        group: String?,
        ownerID: UUID?,
        vendorID: UUID?,
        workaroundApplied: Bool,
        requestedBy: Date?,
        version: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.number = number
        self.type = type
        self.channel = channel
        self.title = title
        self.description = description
        self.requesterID = requesterID
        self.organisationID = organisationID
        self.serviceID = serviceID
        self.impact = impact
        self.urgency = urgency
        self.priority = priority
        self.severity = severity
        self.status = status
        self.tier = tier
        self.group = group
        self.ownerID = ownerID
        self.vendorID = vendorID
        self.workaroundApplied = workaroundApplied
        self.requestedBy = requestedBy
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.nextDeadline = nil
    }

    /// The human reference used in URLs, mail and the UI, e.g. `TD-1042`.
    public var reference: String { TicketReference.format(number) }
}

/// Formats and parses ticket references (`TD-1042`).
public enum TicketReference {
    public static let prefix = "TD-"

    public static func format(_ number: Int) -> String { prefix + String(number) }

    /// The number in a reference, case-insensitive; nil for anything that is not a reference.
    public static func number(in reference: String) -> Int? { number(in: reference, prefix: prefix) }

    /// The number after `prefix` (`TD-`, `KE-`), case-insensitive: digits only, more than zero.
    public static func number(in reference: String, prefix: String) -> Int? {
        guard reference.count <= 24, reference.uppercased().hasPrefix(prefix) else { return nil }
        let digits = reference.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number > 0
        else { return nil }
        return number
    }
}
