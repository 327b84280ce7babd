import Foundation

/// What happened to a ticket.
public enum TicketEventKind: String, Codable, Sendable, CaseIterable {
    case created
    case fieldChanged = "field_changed"
    case statusChanged = "status_changed"
    case assigned
    case tierChanged = "tier_changed"
    case publicReply = "public_reply"
    case internalNote = "internal_note"
    case attachmentAdded = "attachment_added"
    case dataCorrection = "data_correction"
    /// An SLA clock reached its warning share or its deadline; `field` names the clock, `after` the level.
    case slaAlarm = "sla_alarm"
    /// Handed to a higher tier; `before` → `after` are the tiers, `body` the reason and the evidence.
    case escalated
    /// Handed back to a lower tier; `body` is the note.
    case deescalated
    /// A Known Error Database article was applied; `after` is its reference, `before` the tier that applied it.
    case knownErrorApplied = "known_error_applied"
    /// The billing scope changed (``BillingScope``); `before` → `after` are the kinds, `body` the consent or
    /// the project. Moving to a project stops the SLA clocks; moving back starts them again.
    case scopeChanged = "scope_changed"
    /// A message in the ticket's separate conversation with its vendor (L4): between staff and the vendor's
    /// contacts, never shown to the requester unless an agent forwards it as a reply.
    case vendorMessage = "vendor_message"

    /// Internal events are hidden from requesters and vendor contacts.
    public var isInternal: Bool {
        self == .internalNote || self == .dataCorrection || self == .slaAlarm || self == .escalated
            || self == .deescalated || self == .knownErrorApplied
    }
}

/// One append-only entry in a ticket's history: who, when, what, before → after.
public struct TicketEvent: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var ticketID: UUID
    public var kind: TicketEventKind
    public var actorID: UUID?
    public var at: Date
    public var field: String?
    public var before: String?
    public var after: String?
    public var body: String?
    /// Whether the actor was staff (agent, manager, admin) when acting: staff replies answer and update a ticket.
    public var byStaff: Bool

    public init(
        id: UUID = .timeOrdered(),
        ticketID: UUID,
        kind: TicketEventKind,
        actorID: UUID?,
        at: Date,
        field: String? = nil,
        before: String? = nil,
        after: String? = nil,
        body: String? = nil,
        byStaff: Bool = false
    ) {
        self.id = id
        self.ticketID = ticketID
        self.kind = kind
        self.actorID = actorID
        self.at = at
        self.field = field
        self.before = before
        self.after = after
        self.body = body
        self.byStaff = byStaff
    }
}
