import Foundation

/// The facts about a ticket that access decisions depend on.
public struct TicketScope: Sendable, Equatable {
    public var requesterID: UUID
    public var organisationID: UUID
    /// Whether the ticket's organisation lets its requesters see each other's tickets.
    public var organisationSharesTickets: Bool
    /// The vendor the ticket is escalated to, if any.
    public var vendorID: UUID?

    public init(requesterID: UUID, organisationID: UUID, organisationSharesTickets: Bool, vendorID: UUID?) {
        self.requesterID = requesterID
        self.organisationID = organisationID
        self.organisationSharesTickets = organisationSharesTickets
        self.vendorID = vendorID
    }
}
