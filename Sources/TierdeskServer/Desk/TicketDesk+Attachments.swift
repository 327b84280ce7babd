import Foundation
import TierdeskCore
import TierdeskStore

/// Files on tickets: whoever sees a ticket sees its files as their audience does (``TicketAudience``: the
/// customer not those for the vendor only, the vendor only those shared with or added for it); adding one
/// needs the upload permission too, and a vendor contact's files are for its vendor only.
extension TicketDesk {
    func attachments(_ reference: String, for actor: Actor) async throws -> (Ticket, [AttachmentInfo]) {
        let (ticket, _) = try await ticket(reference, for: actor)
        return (ticket, try await attachments(of: ticket, for: actor))
    }

    /// The files of a ticket the caller has already been allowed to see (read through ``ticket(_:for:)`` or
    /// ``events(_:for:)``), so its page does not look the ticket up twice.
    func attachments(of ticket: Ticket, for actor: Actor) async throws -> [AttachmentInfo] {
        let all = try await attachments.list(ticketID: ticket.id)
        let audience = TicketAudience.of(actor)
        guard audience != .staff, !all.isEmpty else { return all }
        let marks = try await attachments.vendorMarks(ticketID: ticket.id)
        return all.filter { audience.sees(file: marks[$0.id]) }
    }

    /// The ticket a file may be added to, checked before the caller reads the upload's bytes.
    func uploadTarget(_ reference: String, by actor: Actor) async throws -> Ticket {
        let (ticket, scope) = try await ticket(reference, for: actor)
        try TierdeskError.check(
            AccessPolicy.decide(.uploadAttachment, by: actor, on: scope),
            notFound: Self.notFound(ticket.reference)
        )
        return ticket
    }

    func attach(
        _ data: Data,
        named filename: String,
        contentType: String,
        to reference: String,
        by actor: Actor
    ) async throws -> (Ticket, AttachmentInfo) {
        let ticket = try await uploadTarget(reference, by: actor)
        let info = try await attachments.add(
            ticket: ticket,
            filename: filename,
            contentType: contentType,
            data: data,
            by: actor.personID,
            at: clock.now(),
            forVendor: Self.vendorOnly(ticket, by: actor)
        )
        return (ticket, info)
    }

    /// Adds the files a form carried (checked by ``WebForm/checkedFiles(_:)``), the upload permission asked
    /// once; nothing is asked when there are none.
    func attach(_ files: [WebForm.CheckedFile], to reference: String, by actor: Actor) async throws {
        guard !files.isEmpty else { return }
        let ticket = try await uploadTarget(reference, by: actor)
        for file in files {
            _ = try await attachments.add(
                ticket: ticket,
                filename: file.name,
                contentType: file.type,
                data: file.data,
                by: actor.personID,
                at: clock.now(),
                forVendor: Self.vendorOnly(ticket, by: actor)
            )
        }
    }

    /// The vendor a file added by `actor` is for only: a vendor contact's files stay in its vendor thread.
    static func vendorOnly(_ ticket: Ticket, by actor: Actor) -> UUID? {
        TicketAudience.of(actor).isVendor ? ticket.vendorID : nil
    }

    func attachment(_ id: UUID, on reference: String, for actor: Actor) async throws -> (AttachmentInfo, Data) {
        let (ticket, _) = try await ticket(reference, for: actor)
        guard try await attachments(of: ticket, for: actor).contains(where: { $0.id == id }),
            let file = try await attachments.file(id, ticketID: ticket.id)
        else {
            throw TierdeskError.notFound("\(ticket.reference) has no attachment \(id.uuidString).")
        }
        return file
    }
}

extension AttachmentInfo {
    /// The files for the vendor only, as their `attachment_added` events name them.
    static func vendorOnly(_ files: [AttachmentInfo], marks: [UUID: TicketAudience.FileMark]) -> Set<
        TicketAudience.FileKey
    > {
        Set(
            files.filter { marks[$0.id]?.vendorOnly ?? false }
                .map { TicketAudience.FileKey(name: $0.filename, addedBy: $0.uploadedBy, at: $0.createdAt) }
        )
    }
}
