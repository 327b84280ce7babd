import Foundation

/// Works out a ticket's next SLA deadline from its whole history. The store asks it on every write,
/// inside the transaction, so the stored deadline always matches the stored events.
public protocol DeadlinePlanner: Sendable {
    func nextDeadline(for ticket: Ticket, history: [TicketEvent]) -> Date?
}

extension SLAPolicy: DeadlinePlanner {
    /// The earliest due time of the running or breached clocks (which of the two does not depend on the instant).
    public func nextDeadline(for ticket: Ticket, history: [TicketEvent]) -> Date? {
        TicketClocks.nextDeadline(TicketClocks.clocks(for: ticket, events: history, policy: self, now: ticket.updatedAt))
    }
}
