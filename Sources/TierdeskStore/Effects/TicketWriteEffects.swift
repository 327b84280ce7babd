import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// What every ticket write causes, stored in the write's transaction: the SLA deadline and alarms, mail to
/// the people involved, webhooks to the live subscriptions, and pages when a ticket becomes Sev1 or Sev2
/// (resolving the ticket resolves its pages), a major incident when a ticket becomes Sev1, and notifications
/// to the ticket's watchers. Ticket creation, ticket updates, SLA escalation and alert
/// intake all take it as a required argument, so no write path can leave a channel out; whether mail is
/// sent is the explicit ``TicketMail`` setting, not a missing collaborator.
public struct TicketWriteEffects: Sendable {
    /// One write: the ticket as stored, the write's events and its extras.
    struct Write {
        var ticket: Ticket
        var events: [TicketEvent]
        var extras: TicketWriteExtras
    }

    /// Works out the deadline and alarms stored with every write.
    public let planner: any SLAPlanner
    /// Whether ticket mail is queued.
    public let mail: TicketMail
    /// Starts and sends pages.
    public let pager: PageMessenger
    /// Called after a transaction that queued messages or pages has committed; wakes their senders.
    let queued: @Sendable () -> Void

    public init(planner: any SLAPlanner, mail: TicketMail, pager: PageMessenger, queued: @escaping @Sendable () -> Void)
    {
        self.planner = planner
        self.mail = mail
        self.pager = pager
        self.queued = queued
    }

    /// Queues the mail, webhooks and pages of several writes; says whether anything was queued, so the
    /// caller calls ``queued`` once its transaction has committed.
    func enqueue(_ writes: [Write], on sql: any SQLDatabase) async throws -> Bool {
        guard !writes.isEmpty else { return false }
        var mailed = false
        if case .queued(let identity) = mail {
            mailed = try await TicketMailer(identity: identity).enqueue(writes, on: sql)
        }
        let changes = writes.map { ($0.ticket, $0.events) }
        let hooked = try await WebhookRepository.enqueue(changes, on: sql)
        let paged = try await PageRepository.follow(changes, messenger: pager, on: sql)
        try await IncidentRepository.follow(changes, on: sql)
        let told = try await TicketRepository.notifyWatchers(
            writes,
            mail: mail,
            at: writes.flatMap(\.events).map(\.at).max() ?? writes[0].ticket.updatedAt,
            on: sql
        )
        return mailed || hooked || paged || told
    }
}

/// Whether ticket writes queue mail.
public enum TicketMail: Sendable {
    /// Mail is queued from this desk address.
    case queued(from: DeskMailIdentity)
    /// No SMTP relay is configured: no ticket mail is queued (webhooks and pages still are).
    case noRelay
}
