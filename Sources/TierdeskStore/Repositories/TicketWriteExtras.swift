import Foundation
import SQLKit
import TierdeskCore

/// A file that arrives with a ticket write (a mail's attachments).
public struct NewAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// What a ticket write stores beside the ticket and its events, in the same transaction: files, the
/// receipt of the mail that caused it, a change of billing scope, and what its mail may do.
public struct TicketWriteExtras: Sendable {
    public var attachments: [NewAttachment]
    /// Who added the files; required when there are files.
    public var uploadedBy: UUID?
    /// The Message-ID of the mail this write stores; a second delivery of it is recognised.
    public var receivedMessageID: String?
    /// False when the loop guard or the auto-reply limit forbids automatic answers to the requester.
    public var mayAnswerAutomatically: Bool
    /// A new billing scope for the ticket, with the project its work moves to when that is new.
    public var billingScope: (scope: BillingScope, newProject: Project?)?
    /// Files of the ticket to share with its vendor, by `uploadedBy`; with ``attachmentsForVendorOnly`` the
    /// write's own files are for the vendor only (added in the vendor thread, or by the vendor's contact).
    public var vendorShares: Set<UUID> = []
    public var attachmentsForVendorOnly = false

    public init(
        attachments: [NewAttachment] = [],
        uploadedBy: UUID? = nil,
        receivedMessageID: String? = nil,
        mayAnswerAutomatically: Bool = true,
        billingScope: (scope: BillingScope, newProject: Project?)? = nil
    ) {
        self.attachments = attachments
        self.uploadedBy = uploadedBy
        self.receivedMessageID = receivedMessageID
        self.mayAnswerAutomatically = mayAnswerAutomatically
        self.billingScope = billingScope
    }

    public static let none = TicketWriteExtras()

    /// Stores the files and the receipt; returns the `attachment_added` events to store with the write.
    func store(ticket: Ticket, at now: Date, on sql: any SQLDatabase) async throws -> [TicketEvent] {
        var events: [TicketEvent] = []
        var vendorOnly: Set<UUID> = []
        if !attachments.isEmpty {
            guard let uploadedBy else { throw TierdeskError.conflict("Files need the person who added them.") }
            let stored = try await AttachmentRepository.insert(
                attachments,
                ticketID: ticket.id,
                by: uploadedBy,
                at: now,
                on: sql
            )
            events = stored.1
            if attachmentsForVendorOnly { vendorOnly = Set(stored.0.map(\.id)) }
        }
        for (ids, only) in [(vendorShares, false), (vendorOnly, true)] where !ids.isEmpty {
            guard let uploadedBy, let vendor = ticket.vendorID else {
                throw TierdeskError.invalid(field: "files", "the ticket is not with a vendor")
            }
            try await AttachmentRepository.markForVendor(
                ids,
                vendor: vendor,
                vendorOnly: only,
                ticketID: ticket.id,
                by: uploadedBy,
                at: now,
                on: sql
            )
        }
        if let (scope, project) = billingScope {
            try await BillingRepository.store(scope, newProject: project, on: sql)
        }
        if let receivedMessageID {
            try await sql.insert(into: "mail_receipts").columns("message_id", "ticket_id", "received_at")
                .values(SQLBind(receivedMessageID), SQLBind(ticket.id), SQLBind(now)).run()
        }
        return events
    }
}
