import Foundation

/// A partial update of a ticket. `nil` leaves a field alone; for clearable fields `.some(nil)` clears it.
public struct TicketChanges: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var type: TicketType?
    public var impact: Level?
    public var urgency: Level?
    public var severity: Severity?
    public var serviceID: UUID??
    public var tier: Tier?
    public var group: String??
    public var ownerID: UUID??
    public var vendorID: UUID??
    public var workaroundApplied: Bool?
    public var requestedBy: Date??

    public init(
        title: String? = nil,
        description: String? = nil,
        type: TicketType? = nil,
        impact: Level? = nil,
        urgency: Level? = nil,
        severity: Severity? = nil,
        serviceID: UUID?? = nil,
        tier: Tier? = nil,
        group: String?? = nil,
        ownerID: UUID?? = nil,
        vendorID: UUID?? = nil,
        workaroundApplied: Bool? = nil,
        requestedBy: Date?? = nil
    ) {
        self.title = title
        self.description = description
        self.type = type
        self.impact = impact
        self.urgency = urgency
        self.severity = severity
        self.serviceID = serviceID
        self.tier = tier
        self.group = group
        self.ownerID = ownerID
        self.vendorID = vendorID
        self.workaroundApplied = workaroundApplied
        self.requestedBy = requestedBy
    }

    /// The actions these changes need, for the access check.
    var requiredActions: Set<Action> {
        var actions: Set<Action> = []
        if title != nil || description != nil || type != nil || impact != nil || urgency != nil || severity != nil
            || serviceID != nil || workaroundApplied != nil || requestedBy != nil
        {
            actions.insert(.triageTicket)
        }
        if group != nil || ownerID != nil { actions.insert(.assignTicket) }
        if tier != nil || vendorID != nil { actions.insert(.escalateTicket) }
        return actions
    }
}
