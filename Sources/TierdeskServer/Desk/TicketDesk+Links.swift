import Foundation
import TierdeskCore
import TierdeskStore

/// Links between tickets, as a ticket page shows them.
extension TicketDesk {
    /// A link seen from a ticket: how it reads from there and the other ticket.
    struct LinkedTicket: Sendable {
        var label: String
        var other: Ticket
        /// The link as stored, to remove it.
        var link: TicketLink
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
                LinkedTicket(
                    label: link.outgoing ? link.link.kind.label : link.link.kind.inverseLabel,
                    other: visible,
                    link: link.link
                )
            )
        }
        return seen
    }

    /// Links `reference` to `target` (``TicketLinkKind``): the caller triages the one and sees the other.
    /// A duplicate is linked by merging it. Returns whether the link is new.
    func link(_ reference: String, to target: String, kind: TicketLinkKind, by actor: Actor) async throws -> Bool {
        let (ticket, scope) = try await ticket(reference, for: actor)
        try TierdeskError.check(
            AccessPolicy.decide(.triageTicket, by: actor, on: scope),
            notFound: Self.notFound(reference)
        )
        guard kind != .duplicateOf else {
            throw TierdeskError.invalid(field: "kind", "a duplicate is merged, not linked")
        }
        guard TicketReference.number(in: target) != nil else {
            throw TierdeskError.invalid(field: "target", "is not a ticket reference such as TD-1042")
        }
        let (other, _) = try await self.ticket(target, for: actor)
        guard other.id != ticket.id else {
            throw TierdeskError.invalid(field: "target", "a ticket cannot link to itself")
        }
        return try await tickets.addLink(
            TicketLink(ticketID: ticket.id, kind: kind, targetID: other.id, createdAt: now)
        )
    }

    /// Removes a link from or to `reference`, for those who triage it.
    func unlink(_ reference: String, kind: TicketLinkKind, other: String, by actor: Actor) async throws {
        guard kind != .duplicateOf else {
            throw TierdeskError.invalid(field: "kind", "a merge stays: mail answering the duplicate follows it")
        }
        let (ticket, scope) = try await ticket(reference, for: actor)
        try TierdeskError.check(
            AccessPolicy.decide(.triageTicket, by: actor, on: scope),
            notFound: Self.notFound(reference)
        )
        let (target, _) = try await self.ticket(other, for: actor)
        let removed =
            try await tickets.removeLink(from: ticket.id, kind: kind, to: target.id)
            ? true : try await tickets.removeLink(from: target.id, kind: kind, to: ticket.id)
        guard removed else { throw TierdeskError.notFound("No such link.") }
    }
}
