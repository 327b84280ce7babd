import Foundation

extension TicketWorkflow {
    /// Writes to the vendor in the ticket's vendor thread (the event names the vendor): staff who may add
    /// notes, on a ticket escalated to a vendor. `evidence`, when given, is what staff chose to share (the
    /// L4 checklist), quoted after the message.
    public func messageVendor(
        on ticket: Ticket,
        scope: TicketScope,
        body: String,
        evidence: String?,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.addInternalNote, by: actor, on: scope, ticket)
        var errors: [FieldError] = []
        var text = TextLimits.body(body, field: "body", errors: &errors)
        if ticket.vendorID == nil {
            errors.append(
                FieldError(field: "vendor", message: "the ticket is not with a vendor; escalate it to L4 first")
            )
        }
        if let evidence, !evidence.isEmpty {
            text += "\n\n--- Shared evidence ---\n" + evidence
            _ = TextLimits.body(text, field: "body", errors: &errors)
        }
        guard let vendor = ticket.vendorID, errors.isEmpty else { throw .invalid(ValidationFailure(errors)) }
        var next = ticket
        next.updatedAt = now
        return (
            next,
            [
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .vendorMessage,
                    actorID: actor.personID,
                    at: now,
                    field: "vendorId",
                    after: vendor.uuidString,
                    body: text,
                    byStaff: true
                )
            ]
        )
    }
}
