import Foundation

extension TicketWorkflow {
    /// Applies a Known Error Database article to a ticket: links it and records which tier applied it.
    /// With `resolve`, the ticket is resolved with the article's workaround as the message to the requester
    /// ("resolved from KEDB"). An article may be applied from its lowest tier up.
    public func applyKnownError(
        _ article: KnownError,
        to ticket: Ticket,
        scope: TicketScope,
        resolve: Bool,
        expectedVersion: Int,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.triageTicket, by: actor, on: scope, ticket)
        if resolve {
            try Self.authorize(.changeStatus, by: actor, on: scope, ticket)
        }
        try checkVersion(ticket, expectedVersion)
        if let tier = actor.tier, !actor.roles.contains(.admin), tier < article.lowestTier {
            throw .forbidden(
                "\(article.reference) may be applied from \(article.lowestTier.rawValue) up; escalate the ticket instead."
            )
        }
        guard ticket.status.isOpen else {
            throw .invalid(
                field: "status",
                "a \(ticket.status.rawValue) ticket cannot take an article; reopen it first"
            )
        }
        var next = ticket
        next.knownErrorID = article.id
        let tier = ticket.tier.rawValue
        var events = [
            TicketEvent(
                ticketID: ticket.id,
                kind: .knownErrorApplied,
                actorID: actor.personID,
                at: now,
                field: "knownErrorId",
                before: tier,
                after: article.reference,
                body: resolve ? "Resolved from KEDB at \(tier)" : "Linked at \(tier)",
                byStaff: actor.isStaff
            )
        ]
        if resolve {
            guard ticket.status.canMove(to: .resolved) else {
                throw .invalid(field: "status", "a \(ticket.status.rawValue) ticket cannot be resolved")
            }
            let message =
                "Resolved with the documented fix \(article.reference) (\(article.title)):\n\n\(article.workaround)"
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .statusChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "status",
                    before: ticket.status.rawValue,
                    after: TicketStatus.resolved.rawValue,
                    body: message,
                    byStaff: actor.isStaff
                )
            )
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .fieldChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "resolution",
                    before: ticket.resolution?.rawValue,
                    after: Resolution.knownError.rawValue,
                    byStaff: actor.isStaff
                )
            )
            next.status = .resolved
            next.resolution = .knownError
        }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }
}
