import Crypto
import Foundation
import TierdeskCore
import TierdeskStore

/// What became of an incoming message.
struct InboundMailOutcome: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        /// A new ticket.
        case created
        /// A public reply on an existing ticket.
        case replied
        /// An internal note on an existing ticket (a bounce of our mail).
        case noted
        /// This message was taken before; nothing was stored again.
        case duplicate
        /// Nothing to store (our own mail came back, or a bounce that names no ticket).
        case ignored
        /// Past the sender's hourly limit on new tickets: kept as an internal note on their newest ticket.
        case held
    }

    var outcome: Kind
    var ticket: String?
    /// Whether the requester may be answered automatically, and if not, why.
    var autoReply: String?
    var reason: String?
}

/// Takes incoming mail for every channel that delivers it (the mail gateway, the API): finds its ticket,
/// checks the sender with the access policy, and stores the message, its files and its receipt in one
/// transaction with the mail it causes.
struct MailIntakeDesk: Sendable {
    let clock: any Clock
    let tickets: TicketRepository
    let directory: DirectoryRepository
    let outbox: OutboxRepository
    let mail: MailConfiguration?
    let mailIntake: SettingCache<MailIntakeSettings>
    let mailSenders: KeyedLocks
    let ticketDesk: TicketDesk
    let directoryDesk: DirectoryDesk

    private var now: Date { clock.now() }

    static var limits: MailMessage.Limits {
        var limits = MailMessage.Limits()
        limits.bytes = Limits.mailBytes
        return limits
    }

    /// The threading of our own messages; without mail configured, subject tags still work.
    private var threading: MailThreading {
        mail?.identity.threading ?? MailThreading(domain: "tierdesk.invalid")
    }

    func receive(_ raw: [UInt8]) async throws -> InboundMailOutcome {
        let message: MailMessage
        do {
            message = try MailMessage.parse(raw, limits: Self.limits)
        } catch {
            throw TierdeskError.invalid(field: "message", error.description)
        }
        let files = try Self.files(of: message)
        let messageID = Self.messageID(of: message, raw: raw)
        if let number = try await tickets.ticketNumber(receivedMessageID: messageID) {
            return InboundMailOutcome(
                outcome: .duplicate,
                ticket: TicketReference.format(number),
                reason: "this message was received before"
            )
        }
        if threading.isOwn(messageID: messageID) {
            return InboundMailOutcome(outcome: .ignored, reason: "the message is one of ours")
        }
        guard let from = message.from, Person.isPlausibleEmail(from.address) else {
            throw TierdeskError.invalid(field: "From", "the message has no sender address")
        }
        if let identity = mail?.identity, identity.isOwn(address: from.address) {
            // Mail from our own mailbox is a loop (or a forgery): it opens nothing and is never answered.
            return InboundMailOutcome(
                outcome: .ignored,
                reason: "the message comes from the desk's own address \(identity.address)"
            )
        }
        do {
            return try await store(message, from: from, files: files, messageID: messageID)
        } catch  where !(error is TierdeskError) {
            // The same message delivered twice at once: the receipts' unique key refused the second write.
            if let number = try await tickets.ticketNumber(receivedMessageID: messageID) {
                return InboundMailOutcome(
                    outcome: .duplicate,
                    ticket: TicketReference.format(number),
                    reason: "this message was received before"
                )
            }
            throw error
        }
    }

    /// Stores a message that was not received before: on the ticket it answers, else as a new ticket.
    private func store(_ message: MailMessage, from: MailAddress, files: [NewAttachment], messageID: String)
        async throws -> InboundMailOutcome
    {
        let sender = try await directory.person(email: from.address)
        let text = Self.text(of: message)
        let bounce = LoopGuard.isBounce(message)

        // Mail answering a merged ticket goes to the ticket that carries on.
        if let answered = threading.target(of: message).ticketNumber,
            let (ticket, scope) = try await tickets.findScoped(number: try await tickets.survivor(of: answered))
        {
            if bounce {
                let note = "Delivery report from \(from.address):\n\n" + String(text.prefix(4000))
                try await ticketDesk.addSystemNote(
                    ticket.reference,
                    body: note,
                    extras: TicketWriteExtras(receivedMessageID: messageID)
                )
                return InboundMailOutcome(
                    outcome: .noted,
                    ticket: ticket.reference,
                    reason: "a delivery report about our mail"
                )
            }
            if let sender, sender.active, AccessPolicy.allows(.replyPublicly, by: sender.actor, on: scope) {
                var extras = TicketWriteExtras(attachments: files, uploadedBy: sender.id, receivedMessageID: messageID)
                // A vendor contact's mail goes into the vendor thread, its files with it.
                extras.attachmentsForVendorOnly = TicketAudience.of(sender.actor).isVendor
                _ = try await ticketDesk.addMessage(
                    ticket.reference,
                    body: text,
                    isInternal: false,
                    by: sender.actor,
                    extras: extras
                )
                return InboundMailOutcome(outcome: .replied, ticket: ticket.reference)
            }
        }
        if bounce {
            return InboundMailOutcome(outcome: .ignored, reason: "a delivery report that names no ticket of ours")
        }
        return try await open(message, text: text, files: files, messageID: messageID, from: from, sender: sender)
    }

    /// Opens a ticket from a message that answers none.
    private func open(
        _ message: MailMessage,
        text: String,
        files: [NewAttachment],
        messageID: String,
        from: MailAddress,
        sender: Person?
    ) async throws -> InboundMailOutcome {
        let settings = try await mailIntake.value(at: now)
        let requester: Person
        if let sender {
            guard sender.active else {
                throw TierdeskError.forbidden("The account of \(sender.email) is disabled; its mail is not taken.")
            }
            requester = sender
        } else {
            guard settings.unknownSenders == .open, let organisation = settings.organisationId else {
                throw TierdeskError.forbidden(
                    "\(from.address) is not known here, and mail from unknown senders is refused."
                )
            }
            requester = try await directoryDesk.requesterFromMail(from, organisationID: organisation)
        }
        return try await mailSenders.run(requester.id.uuidString) {
            let recent = try await tickets.recentNumbers(
                requester: requester.id,
                channel: .email,
                since: now.addingTimeInterval(-3600),
                limit: settings.newTicketsPerHour
            )
            if recent.count >= settings.newTicketsPerHour, let newest = recent.first {
                return try await hold(
                    message,
                    text: text,
                    files: files,
                    messageID: messageID,
                    from: from,
                    requester: requester,
                    on: TicketReference.format(newest),
                    limit: settings.newTicketsPerHour
                )
            }
            return try await openTicket(
                message,
                text: text,
                files: files,
                messageID: messageID,
                from: from,
                requester: requester,
                settings: settings
            )
        }
    }

    /// Opens the ticket, with an acknowledgement unless the loop guard or the auto-reply limit says no.
    private func openTicket(
        _ message: MailMessage,
        text: String,
        files: [NewAttachment],
        messageID: String,
        from: MailAddress,
        requester: Person,
        settings: MailIntakeSettings
    ) async throws -> InboundMailOutcome {
        var reason = LoopGuard.verdict(for: message, threading: threading).reason
        if reason == nil {
            let sent = try await outbox.automaticCount(to: from.address, since: now.addingTimeInterval(-3600))
            if sent >= settings.autoRepliesPerHour {
                reason = "\(sent) automatic answers went to \(from.address) in the last hour"
            }
        }
        var draft = TicketDraft(
            title: MailThreading.title(fromSubject: message.subject),
            description: text,
            channel: .email
        )
        draft.serviceID = settings.serviceId
        // "Needed by: 2026-12-20" makes the mail a request with that date, held to the notice rule.
        if let day = NoticeRule.neededBy(inText: text) {
            draft.type = .serviceRequest
            draft.requestedBy = NoticeRule.instant(
                neededBy: day,
                in: try await ticketDesk.billingTerms.value(at: now).zone
            )
        }
        let extras = TicketWriteExtras(
            attachments: files,
            uploadedBy: requester.id,
            receivedMessageID: messageID,
            mayAnswerAutomatically: reason == nil
        )
        let ticket = try await ticketDesk.open(draft, by: requester, extras: extras)
        return InboundMailOutcome(
            outcome: .created,
            ticket: ticket.reference,
            autoReply: reason.map { "suppressed: \($0)" } ?? "allowed"
        )
    }

    /// Keeps a message past the sender's hourly limit on new tickets as an internal note, with its files and
    /// receipt, on the sender's newest ticket: an agent reviews it there; nothing is answered automatically.
    private func hold(
        _ message: MailMessage,
        text: String,
        files: [NewAttachment],
        messageID: String,
        from: MailAddress,
        requester: Person,
        on reference: String,
        limit: Int
    ) async throws -> InboundMailOutcome {
        let reason = "\(from.address) opened \(limit) tickets by mail in the last hour, the most allowed"
        let note = """
            Held for review: \(reason), so this message did not open a new ticket.
            Subject: \(MailThreading.title(fromSubject: message.subject))

            \(text)
            """
        let extras = TicketWriteExtras(attachments: files, uploadedBy: requester.id, receivedMessageID: messageID)
        try await ticketDesk.addSystemNote(reference, body: Self.cut(note, toBytes: TextLimits.body), extras: extras)
        return InboundMailOutcome(outcome: .held, ticket: reference, autoReply: "suppressed: \(reason)", reason: reason)
    }

    /// The message's own id, or for a message without one a digest of its bytes, so that a second delivery
    /// of the same bytes is still recognised.
    static func messageID(of message: MailMessage, raw: [UInt8]) -> String {
        let given = OutgoingMail.messageIDText(message.messageID ?? "")
        if given.contains("@"), given.count > 2 { return given }
        let digest = SHA256.hash(data: raw).map { String(format: "%02x", $0) }.joined()
        return "sha256-\(digest)@tierdesk.invalid"
    }

    /// The body as text: the plain part, else the HTML reduced to text; cut to the body limit.
    static func text(of message: MailMessage) -> String {
        // The parser already reduces an HTML-only message to text.
        let text = cut((message.text ?? "").replacingOccurrences(of: "\0", with: ""), toBytes: TextLimits.body)
        if text.trimmingWhitespace().isEmpty {
            return message.attachments.isEmpty
                ? "(The message has no text.)" : "(The message has no text; see its files.)"
        }
        return text
    }

    /// `text` cut to at most `limit` UTF-8 bytes, with a marker saying so. The cut falls on a character
    /// boundary: a broken character would be decoded as U+FFFD, three bytes that could push it back over.
    static func cut(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let marker = "\n\n[The message was cut to 1 MiB.]"
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit - marker.utf8.count)
        while end > text.utf8.startIndex, text.utf8[end] & 0xC0 == 0x80 { end = text.utf8.index(before: end) }
        return String(text.utf8[..<end])! + marker
    }

    /// The files to keep; a message with too many or too large files is refused as a whole.
    static func files(of message: MailMessage) throws -> [NewAttachment] {
        guard message.attachments.count <= Limits.mailAttachments else {
            throw TierdeskError.invalid(
                field: "attachments",
                "the message carries \(message.attachments.count) files; at most \(Limits.mailAttachments) are taken"
            )
        }
        return try message.attachments.map { file in
            guard file.data.count <= Limits.attachmentBytes else {
                throw TierdeskError.invalid(
                    field: "attachments",
                    "\(file.filename) is \(file.data.count) bytes; files may be at most \(Limits.attachmentBytes) bytes"
                )
            }
            // The parser already cleaned the name by the rule uploads follow; the type gets the upload rule too.
            return NewAttachment(
                filename: String(file.filename.prefix(Limits.filenameCharacters)),
                contentType: AttachmentFile.storedType(file.contentType),
                data: Data(file.data)
            )
        }
    }
}
