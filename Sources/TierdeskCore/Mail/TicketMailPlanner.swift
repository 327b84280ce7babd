import Foundation

/// Who Tierdesk's mail comes from, and where its portal is.
public struct DeskMailIdentity: Sendable, Equatable {
    /// The desk's address, such as `support@desk.example`; its domain names our message ids.
    public var address: String
    public var name: String
    /// The web address of Tierdesk, for links in mail; nil leaves links out.
    public var baseURL: String?

    public init(address: String, name: String, baseURL: String? = nil) {
        self.address = Person.normalisedEmail(address)
        self.name = name
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    public var threading: MailThreading {
        MailThreading(domain: String(address.split(separator: "@").last ?? "localhost"))
    }

    /// The desk as a mail's sender.
    public var mailbox: MailAddress { MailAddress(name: name, address: address) }

    /// Whether `other` is the desk's own mailbox, also with a `+tag` sub-address (`support+td-1042@…`).
    public func isOwn(address other: String) -> Bool {
        let candidate = Person.normalisedEmail(other)
        guard let at = candidate.lastIndex(of: "@"), let ownAt = address.lastIndex(of: "@") else { return false }
        guard candidate[at...] == address[ownAt...] else { return false }
        let local = candidate[..<at].split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return local == address[..<ownAt]
    }
}

/// A mail the planner wants queued.
public struct PlannedMail: Sendable, Equatable {
    /// The idempotency key: the event that caused the mail and the recipient.
    public var key: String
    public var mail: OutgoingMail
    /// No person wrote it; counts against the auto-reply limit.
    public var automatic: Bool
}

/// What a ticket write means for mail: the facts the planner needs beside the write itself.
public struct TicketMailContext: Sendable {
    public var ticket: Ticket
    /// The events of this write.
    public var events: [TicketEvent]
    /// The requester, the owner, the actors and the group lead, where known.
    public var people: [UUID: Person]
    public var groupLeads: [String: UUID]
    /// Message ids received for this ticket, oldest first, including one being stored now; the first and
    /// the last are all that threading uses, so callers may pass just those.
    public var inboundMessageIDs: [String]
    /// False when the loop guard or the auto-reply limit forbids answering the requester automatically.
    public var mayAnswerAutomatically: Bool
    /// The active contacts of the ticket's vendor, when staff write in its vendor thread.
    public var vendorContacts: [Person]

    public init(
        ticket: Ticket,
        events: [TicketEvent],
        people: [UUID: Person],
        groupLeads: [String: UUID] = [:],
        inboundMessageIDs: [String] = [],
        mayAnswerAutomatically: Bool = true,
        vendorContacts: [Person] = []
    ) {
        self.ticket = ticket
        self.events = events
        self.people = people
        self.groupLeads = groupLeads
        self.inboundMessageIDs = inboundMessageIDs
        self.mayAnswerAutomatically = mayAnswerAutomatically
        self.vendorContacts = vendorContacts
    }
}

/// Works out the mail a ticket write causes. Pure: the same write always gives the same mail, with the
/// same message ids and keys.
///
/// - the requester (a customer) gets an acknowledgement with the reference when a ticket opens;
/// - the requester gets public replies and status changes made by others, one mail per write;
/// - an agent gets a notice when a ticket is assigned or escalated to them (or to their group, as lead);
/// - the vendor's contacts get what staff write in the ticket's vendor thread (never the customer's words).
public enum TicketMailPlanner {
    /// The kinds of event that can cause mail; a write with none of them plans none, so the people and
    /// message ids it would need are not looked up.
    static let mailingKinds: Set<TicketEventKind> = [
        .created, .publicReply, .statusChanged, .assigned, .escalated, .vendorMessage,
    ]

    /// Whether a write with these events may cause mail.
    public static func mayMail(_ events: [TicketEvent]) -> Bool {
        events.contains { mailingKinds.contains($0.kind) }
    }

    public static func plan(_ context: TicketMailContext, identity: DeskMailIdentity) -> [PlannedMail] {
        guard let first = context.events.first, mayMail(context.events) else { return [] }
        var planned: [PlannedMail] = []
        if let mail = requesterMail(context, identity: identity, firstEvent: first) { planned.append(mail) }
        planned += agentMail(context, identity: identity)
        planned += vendorMail(context, identity: identity)
        return planned
    }

    // MARK: Vendor

    /// Staff's messages in the vendor thread, to the contacts of the vendor each names. Threaded on the
    /// ticket alone, so no Message-ID of the customer's mail reaches the vendor; an answer by mail comes
    /// back into the thread.
    private static func vendorMail(_ context: TicketMailContext, identity: DeskMailIdentity) -> [PlannedMail] {
        let ticket = context.ticket
        var planned: [PlannedMail] = []
        for event in context.events where event.kind == .vendorMessage && event.byStaff {
            for contact in context.vendorContacts
            where reachable(contact) && contact.roles.contains(.vendor)
                && contact.vendorID?.uuidString == event.after
            {
                var paragraphs = [event.body ?? ""]
                paragraphs.append(
                    "Answer by replying to this message (keep [\(ticket.reference)] in the subject)"
                        + (link(ticket, identity: identity, staff: false).map { " or at \($0)" } ?? "") + "."
                )
                paragraphs.append("-- \n\(identity.name)")
                planned.append(
                    Self.planned(
                        ticket,
                        TicketMailContext(ticket: ticket, events: context.events, people: context.people),
                        identity: identity,
                        event: event,
                        to: contact,
                        subject: ticket.title,
                        text: paragraphs.joined(separator: "\n\n"),
                        autoSubmitted: nil,
                        automatic: false
                    )
                )
            }
        }
        return planned
    }

    // MARK: Requester

    private static func requesterMail(_ context: TicketMailContext, identity: DeskMailIdentity, firstEvent: TicketEvent)
        -> PlannedMail?
    {
        let ticket = context.ticket
        guard let requester = context.people[ticket.requesterID], reachable(requester), !requester.actor.isStaff else {
            return nil
        }
        let others = context.events.filter { $0.actorID != requester.id }
        let replies = others.filter { $0.kind == .publicReply }.compactMap(\.body)
        let statuses = others.filter { $0.kind == .statusChanged }
        let opened = context.events.contains { $0.kind == .created }
        let automatic = !others.contains { $0.kind == .publicReply && $0.actorID != nil }

        var paragraphs: [String] = []
        let subject: String
        let autoSubmitted: OutgoingMail.AutoSubmitted?
        if opened {
            guard context.mayAnswerAutomatically else { return nil }
            subject = "Received: \(ticket.title)"
            autoSubmitted = .autoReplied
            paragraphs.append("Hello \(requester.name),")
            paragraphs.append(
                "we have received your request and opened ticket \(ticket.reference): \"\(ticket.title)\". Its priority is \(ticket.priority.rawValue)."
            )
            paragraphs += replies
            paragraphs.append(
                "To add information, reply to this message and keep [\(ticket.reference)] in the subject."
            )
        } else {
            guard !replies.isEmpty || !statuses.isEmpty else { return nil }
            if automatic, !context.mayAnswerAutomatically { return nil }
            subject = replies.isEmpty ? "\(statusLabel(ticket.status)): \(ticket.title)" : ticket.title
            autoSubmitted = automatic ? (replies.isEmpty ? .autoGenerated : .autoReplied) : nil
            paragraphs += replies
            for change in statuses {
                var line =
                    "The status of \(ticket.reference) changed to \(statusLabel(TicketStatus(rawValue: change.after ?? "") ?? ticket.status))."
                if let reason = change.body, !reason.isEmpty { line += "\n" + reason }
                paragraphs.append(line)
            }
        }
        if let link = link(ticket, identity: identity, staff: false) {
            paragraphs.append("Follow the ticket at \(link)")
        }
        paragraphs.append("-- \n\(identity.name)")
        return planned(
            ticket,
            context,
            identity: identity,
            event: firstEvent,
            to: requester,
            subject: subject,
            text: paragraphs.joined(separator: "\n\n"),
            autoSubmitted: autoSubmitted,
            automatic: automatic
        )
    }

    // MARK: Agents

    private static func agentMail(_ context: TicketMailContext, identity: DeskMailIdentity) -> [PlannedMail] {
        let ticket = context.ticket
        var planned: [PlannedMail] = []
        var notified = Set<UUID>()
        for event in context.events {
            let recipientID: UUID?
            let headline: String
            switch event.kind {
            case .assigned:
                recipientID = event.after.flatMap(UUID.init(uuidString:))
                headline = "\(ticket.reference) is now yours."
            case .escalated:
                recipientID = ticket.ownerID ?? ticket.group.flatMap { context.groupLeads[$0] }
                let target = ticket.group.map { "group \($0) (\(ticket.tier.rawValue))" } ?? ticket.tier.rawValue
                headline = "\(ticket.reference) was escalated to \(target)."
            default:
                continue
            }
            guard let recipientID, recipientID != event.actorID, !notified.contains(recipientID),
                let agent = context.people[recipientID], reachable(agent), agent.actor.isStaff
            else { continue }
            notified.insert(recipientID)
            var paragraphs = [
                headline,
                "\(ticket.title)\nPriority \(ticket.priority.rawValue), \(ticket.severity.rawValue), status \(statusLabel(ticket.status)).",
            ]
            if event.kind == .escalated, let evidence = event.body, !evidence.isEmpty { paragraphs.append(evidence) }
            if let reason = event.body, event.kind == .assigned, !reason.isEmpty { paragraphs.append(reason) }
            if let link = link(ticket, identity: identity, staff: true) { paragraphs.append(link) }
            let subject = event.kind == .assigned ? "Assigned to you: \(ticket.title)" : "Escalated: \(ticket.title)"
            planned.append(
                Self.planned(
                    ticket,
                    context,
                    identity: identity,
                    event: event,
                    to: agent,
                    subject: subject,
                    text: paragraphs.joined(separator: "\n\n"),
                    autoSubmitted: .autoGenerated,
                    automatic: true
                )
            )
        }
        return planned
    }

    // MARK: Parts

    private static func planned(
        _ ticket: Ticket,
        _ context: TicketMailContext,
        identity: DeskMailIdentity,
        event: TicketEvent,
        to person: Person,
        subject: String,
        text: String,
        autoSubmitted: OutgoingMail.AutoSubmitted?,
        automatic: Bool
    ) -> PlannedMail {
        let threading = identity.threading
        let root = threading.rootID(ticketNumber: ticket.number)
        let inbound = context.inboundMessageIDs
        let references =
            [root] + (inbound.first.map { [$0] } ?? []) + (inbound.count > 1 ? [inbound[inbound.count - 1]] : [])
        let key = "\(event.id.uuidString)-\(person.id.uuidString.prefix(8))"
        let mail = OutgoingMail(
            from: identity.mailbox,
            to: [MailAddress(name: person.name, address: person.email)],
            subject: MailThreading.tagged(subject, ticketNumber: ticket.number),
            messageID: threading.messageID(ticketNumber: ticket.number, key: key),
            inReplyTo: inbound.last ?? root,
            references: references,
            autoSubmitted: autoSubmitted,
            date: event.at,
            text: text,
            ticketNumber: ticket.number
        )
        return PlannedMail(key: "mail:\(event.id.uuidString):\(person.id.uuidString)", mail: mail, automatic: automatic)
    }

    private static func reachable(_ person: Person) -> Bool {
        person.active && Person.isPlausibleEmail(person.email)
    }

    private static func link(_ ticket: Ticket, identity: DeskMailIdentity, staff: Bool) -> String? {
        identity.baseURL.map { "\($0)/\(staff ? "console" : "portal")/tickets/\(ticket.reference)" }
    }

    static func statusLabel(_ status: TicketStatus) -> String {
        switch status {
        case .new: "New"
        case .acknowledged: "Acknowledged"
        case .inProgress: "In progress"
        case .pendingCustomer: "Waiting for you"
        case .onHold: "On hold"
        case .resolved: "Resolved"
        case .closed: "Closed"
        }
    }
}
