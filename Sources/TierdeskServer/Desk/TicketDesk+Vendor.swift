import Foundation
import TierdeskCore
import TierdeskStore

/// The vendor thread of an L4 ticket: staff write to the vendor and share chosen evidence; the vendor's
/// contacts answer there (their replies are vendor messages); an agent forwards what the customer should
/// read as a reply of their own.
extension TicketDesk {
    /// What staff may share from the ticket with the vendor: its files and the L4 checklist.
    struct VendorShare: Sendable {
        var files: Set<UUID> = []
        var checklist = false
    }

    /// Writes to the vendor, sharing the chosen files, the new files and, if asked, the checklist of the
    /// escalation to L4; one transaction.
    func messageVendor(
        _ reference: String,
        body: String,
        share: VendorShare,
        newFiles: [NewAttachment],
        by actor: Actor
    ) async throws -> TicketEvent {
        guard share.files.count <= 50 else {
            throw TierdeskError.invalid(field: "files", "share at most 50 files at once")
        }
        let now = now
        let (ticket, _) = try await ticket(reference, for: actor)
        var evidence: String?
        if share.checklist {
            evidence =
                try await tickets.events(ticketID: ticket.id, includeInternal: true)
                .last { $0.kind == .escalated && $0.after == Tier.l4.rawValue }?
                .body
            guard evidence != nil else {
                throw TierdeskError.invalid(field: "checklist", "the ticket has no L4 checklist to share")
            }
        }
        let shared = evidence
        var extras = TicketWriteExtras(attachments: newFiles, uploadedBy: actor.personID)
        extras.vendorShares = share.files
        extras.attachmentsForVendorOnly = true
        let (_, events) = try await modify(reference, by: actor, extras: extras) { ticket, scope in
            try TicketWorkflow()
                .messageVendor(on: ticket, scope: scope, body: body, evidence: shared, by: actor, at: now)
        }
        return events[0]
    }

    /// Forwards a vendor's answer to the customer as the agent's own reply, saying whose words they are.
    func forwardVendorMessage(_ eventID: UUID, on reference: String, note: String, by actor: Actor) async throws
        -> TicketEvent
    {
        let (ticket, _, events) = try await events(reference, for: actor)
        guard TicketAudience.of(actor) == .staff,
            let message = events.first(where: { $0.id == eventID && $0.kind == .vendorMessage && !$0.byStaff })
        else {
            throw TierdeskError.notFound("\(ticket.reference) has no such vendor message.")
        }
        let vendor = try await ticket.vendorID.asyncFlatMap { try await directory.vendor($0)?.name } ?? "the vendor"
        let quoted = (message.body ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            .map { "> " + $0 }.joined(separator: "\n")
        let intro = note.trimmingWhitespace().isEmpty ? "" : note.trimmingWhitespace() + "\n\n"
        return try await addMessage(
            reference,
            body: "\(intro)\(vendor) wrote:\n\(quoted)",
            isInternal: false,
            by: actor
        )
    }

    /// The ids (as text) of the ticket's files shared with its vendor, for staff pages.
    func attachmentsSharedWithVendor(_ ticket: Ticket) async throws -> Set<String> {
        Set(try await attachments.vendorMarks(ticketID: ticket.id).keys.map(\.uuidString))
    }
}
