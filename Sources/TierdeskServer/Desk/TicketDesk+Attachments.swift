import Foundation
import TierdeskCore
import TierdeskStore

/// Files on tickets: whoever sees a ticket sees its files as their audience does (``TicketAudience``: the
/// customer not the vendor's, the vendor only its own and those staff shared); adding one needs the upload
/// permission too.
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
        let vendors = try await vendorContacts(among: Set(all.map(\.uploadedBy)))
        let shared = try await attachments.sharedWithVendor(ticketID: ticket.id)
        return all.filter {
            audience.sees(
                fileByVendor: vendors.contains($0.uploadedBy),
                shared: shared[$0.id] != nil,
                vendorOnly: shared[$0.id] ?? false
            )
        }
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
            at: clock.now()
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
                at: clock.now()
            )
        }
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
