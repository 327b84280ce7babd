import Foundation
import TierdeskCore
import TierdeskStore

/// Links between tickets, as a ticket page shows them.
extension TicketDesk {
    /// A link seen from a ticket: how it reads from there and the other ticket.
    struct LinkedTicket: Sendable {
        var label: String
        var other: Ticket
    }

    /// The links of a ticket the caller may see, to the tickets they may see too (others are left out, so a
    /// link says nothing of a ticket it would not show), oldest first.
    func links(of ticket: Ticket, for actor: Actor) async throws -> [LinkedTicket] {
        var seen: [LinkedTicket] = []
        for link in try await tickets.links(of: ticket.id) {
            guard let other = try await tickets.find(id: link.other),
                let (visible, scope) = try await tickets.findScoped(number: other.number),
                AccessPolicy.allows(.viewTicket, by: actor, on: scope)
            else { continue }
            seen.append(
                LinkedTicket(label: link.outgoing ? link.link.kind.label : link.link.kind.inverseLabel, other: visible)
            )
        }
        return seen
    }
}
