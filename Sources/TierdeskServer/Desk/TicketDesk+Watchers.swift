import Foundation
import TierdeskCore
import TierdeskStore

/// Watchers: members of staff who follow a ticket get a notification (and mail, if they want it) when
/// someone else works on it.
extension TicketDesk {
    /// Who watches the ticket, for someone who may see it.
    func watchers(of ticket: Ticket) async throws -> [Person] {
        let ids = try await tickets.watchers(of: ticket.id)
        let people = Dictionary(uniqueKeysWithValues: try await directory.people(ids: Set(ids)).map { ($0.id, $0) })
        return ids.compactMap { people[$0] }
    }

    /// Starts or stops `personID` watching the ticket. Anyone on staff who sees it may watch it themself;
    /// adding or removing a colleague takes the right to assign it.
    func setWatching(_ reference: String, personID: UUID, watching: Bool, by actor: Actor) async throws {
        let (ticket, scope) = try await ticket(reference, for: actor)
        guard actor.isStaff else { throw TierdeskError.forbidden("Only staff watch tickets.") }
        if personID != actor.personID {
            try TierdeskError.check(
                AccessPolicy.decide(.assignTicket, by: actor, on: scope),
                notFound: "No ticket is \(reference.prefix(20))."
            )
        }
        if watching {
            guard let person = try await directory.person(personID), person.active, person.actor.isStaff else {
                throw TierdeskError.invalid(field: "watcher", "choose an active member of staff")
            }
            try await tickets.watch(ticket.id, personID: person.id, by: actor.personID, at: now)
        } else {
            try await tickets.unwatch(ticket.id, personID: personID)
        }
    }
}
