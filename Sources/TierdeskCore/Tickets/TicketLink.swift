import Foundation

/// How one ticket relates to another.
public enum TicketLinkKind: String, StringEnum, Sendable, Hashable {
    /// Mentions the other ticket.
    case refersTo = "refers_to"
    /// Cannot be finished before the other one.
    case dependsOn = "depends_on"
    /// Is part of the other (a child of a parent ticket).
    case partOf = "part_of"
    /// Was merged into the other, which carries on (``TicketWorkflow/Merge``).
    case duplicateOf = "duplicate_of"

    /// How a ticket page names the link.
    public var label: String {
        switch self {
        case .refersTo: "Refers to"
        case .dependsOn: "Depends on"
        case .partOf: "Part of"
        case .duplicateOf: "Merged into"
        }
    }

    /// How the other ticket's page names the same link.
    public var inverseLabel: String {
        switch self {
        case .refersTo: "Referred to by"
        case .dependsOn: "Needed by"
        case .partOf: "Holds"
        case .duplicateOf: "Merged in"
        }
    }
}

/// A link from a ticket to another ticket.
public struct TicketLink: Sendable, Equatable, Hashable {
    public var ticketID: UUID
    public var kind: TicketLinkKind
    public var targetID: UUID
    public var createdAt: Date

    public init(ticketID: UUID, kind: TicketLinkKind, targetID: UUID, createdAt: Date) {
        self.ticketID = ticketID
        self.kind = kind
        self.targetID = targetID
        self.createdAt = createdAt
    }
}
