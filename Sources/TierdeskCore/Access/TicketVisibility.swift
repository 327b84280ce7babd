import Foundation

/// Which tickets a person may list. Derived from the ``AccessPolicy`` so lists and single views agree.
public enum TicketVisibility: Sendable, Equatable {
    /// Staff: every ticket.
    case all
    /// A requester: their own tickets, plus every ticket of `sharedOrganisationID` when their organisation shares.
    case requester(personID: UUID, sharedOrganisationID: UUID?)
    /// A vendor contact: tickets escalated to this vendor.
    case vendor(UUID)
    /// Nobody else sees tickets.
    case nothing
}

extension AccessPolicy {
    /// The tickets `actor` may list; `organisationSharesTickets` is the flag of the actor's organisation.
    public static func visibility(for actor: Actor, organisationSharesTickets: Bool) -> TicketVisibility {
        if actor.isStaff { return .all }
        if actor.has(.requester) {
            return .requester(
                personID: actor.personID,
                sharedOrganisationID: organisationSharesTickets ? actor.organisationID : nil
            )
        }
        if actor.has(.vendor), let vendor = actor.vendorID { return .vendor(vendor) }
        return .nothing
    }
}
