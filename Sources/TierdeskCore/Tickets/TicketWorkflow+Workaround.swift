import Foundation

extension TicketWorkflow {
    /// Records that a workaround keeps the business running. Its owner may then downgrade a P3 to P4
    /// saying why; the reason goes with the events.
    public func applyWorkaround(
        to ticket: Ticket,
        scope: TicketScope,
        description: String,
        downgrade: Bool,
        expectedVersion: Int,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.triageTicket, by: actor, on: scope, ticket)
        try checkVersion(ticket, expectedVersion)
        var errors: [FieldError] = []
        let body = TextLimits.body(description, field: "description", errors: &errors)
        if !ticket.status.isOpen {
            errors.append(
                FieldError(field: "status", message: "a \(ticket.status.rawValue) ticket needs no workaround")
            )
        }
        if downgrade {
            if ticket.priority != .p3 {
                errors.append(
                    FieldError(
                        field: "downgrade",
                        message:
                            "only a P3 goes down to P4 with a workaround; this ticket is \(ticket.priority.rawValue)"
                    )
                )
            } else if ticket.ownerID != actor.personID, !actor.roles.contains(.admin) {
                errors.append(FieldError(field: "downgrade", message: "only the ticket's owner may downgrade it"))
            }
        }
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        var next = ticket
        next.workaroundApplied = true
        var events: [TicketEvent] = []
        if !ticket.workaroundApplied {
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .fieldChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "workaroundApplied",
                    before: "false",
                    after: "true",
                    body: body,
                    byStaff: actor.isStaff
                )
            )
        }
        if downgrade {
            next.priority = .p4
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .fieldChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "priority",
                    before: "P3",
                    after: "P4",
                    body: "Downgraded with a workaround: \(body)",
                    byStaff: actor.isStaff
                )
            )
            if ticket.severity != .sev3 {
                next.severity = .sev3
                events.append(
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .fieldChanged,
                        actorID: actor.personID,
                        at: now,
                        field: "severity",
                        before: ticket.severity.rawValue,
                        after: "Sev3",
                        byStaff: actor.isStaff
                    )
                )
            }
        }
        guard !events.isEmpty else { return (ticket, []) }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }
}
