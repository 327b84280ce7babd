import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// What every ticket write sends, queued in the write's transaction: mail to the people involved (when a
/// mailer is configured), webhooks to the live subscriptions, and pages when a ticket becomes Sev1 or
/// Sev2 (when a pager is configured; resolving the ticket resolves its pages). Ticket creation, ticket updates, SLA
/// escalation and alert intake all go through it, so no write path forgets a channel.
public struct TicketOutbox: Sendable {
    /// One write: the ticket as stored, the write's events and its extras.
    struct Write {
        var ticket: Ticket
        var events: [TicketEvent]
        var extras: TicketWriteExtras
    }

    /// Plans and queues mail; without one, no mail is queued.
    public let mailer: TicketMailer?
    /// Starts and sends pages; without one, tickets page nobody.
    public let pager: PageMessenger?
    /// Called after a transaction that queued messages has committed; wakes the sender.
    let queued: @Sendable () -> Void

    public init(mailer: TicketMailer?, pager: PageMessenger? = nil, queued: @escaping @Sendable () -> Void = {}) {
        self.mailer = mailer
        self.pager = pager
        self.queued = queued
    }

    /// Queues the mail and webhooks of several writes; says whether anything was queued, so the caller
    /// calls ``queued`` once its transaction has committed.
    func enqueue(_ writes: [Write], on sql: any SQLDatabase) async throws -> Bool {
        guard !writes.isEmpty else { return false }
        let mailed = try await mailer?.enqueue(writes, on: sql) ?? false
        let changes = writes.map { ($0.ticket, $0.events) }
        let hooked = try await WebhookRepository.enqueue(changes, on: sql)
        var paged = false
        if let pager { paged = try await PageRepository.follow(changes, messenger: pager, on: sql) }
        return mailed || hooked || paged
    }
}
