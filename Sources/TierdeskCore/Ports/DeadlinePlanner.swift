import Foundation

/// Works out a ticket's SLA plan from its whole history: the next deadline and the alarms to set.
/// The store asks it on every ticket write, inside the transaction, so what is stored always matches
/// the stored events.
public protocol DeadlinePlanner: Sendable {
    func nextDeadline(for ticket: Ticket, history: [TicketEvent]) -> Date?
    func alarms(for ticket: Ticket, history: [TicketEvent]) -> [SLAAlarm]
}

extension SLAPolicy: DeadlinePlanner {
    /// The earliest due time of the running or breached clocks (which of the two does not depend on the instant).
    public func nextDeadline(for ticket: Ticket, history: [TicketEvent]) -> Date? {
        TicketClocks.nextDeadline(TicketClocks.clocks(for: ticket, events: history, policy: self, now: ticket.updatedAt))
    }

    public func alarms(for ticket: Ticket, history: [TicketEvent]) -> [SLAAlarm] {
        SLAAlarm.plan(for: ticket, history: history, policy: self)
    }
}
