import Foundation

/// What the store keeps about a ticket's SLA after each write: the next deadline and the alarms to set.
public struct SLAPlan: Sendable, Equatable {
    public var nextDeadline: Date?
    public var alarms: [SLAAlarm]

    public init(nextDeadline: Date?, alarms: [SLAAlarm]) {
        self.nextDeadline = nextDeadline
        self.alarms = alarms
    }
}

/// Works out a ticket's SLA plan from its whole history, and what to do when one of its alarms fires.
/// The store asks it on every ticket write and alarm, inside the transaction, so what is stored always
/// matches the stored events.
public protocol SLAPlanner: Sendable {
    func plan(for ticket: Ticket, history: [TicketEvent]) -> SLAPlan
    func escalation(for ticket: Ticket, at level: SLAAlarm.Level) -> [SLAEscalationAction]
}

extension SLAPolicy {
    /// The plan under this policy.
    public func plan(for ticket: Ticket, history: [TicketEvent]) -> SLAPlan {
        let clocks = TicketClocks.clocks(
            for: ticket,
            events: history,
            policy: self,
            now: ticket.updatedAt,
            measuringRemaining: false
        )
        // A request that gave enough notice is due on its needed-by date (``NoticeRule``); queues sort by it.
        let due =
            ticket.status.isOpen && !ticket.tags.contains(NoticeRule.shortNoticeTag)
                && NoticeRule.applies(type: ticket.type, priority: ticket.priority) ? ticket.requestedBy : nil
        return SLAPlan(
            nextDeadline: [TicketClocks.nextDeadline(clocks), due].compactMap { $0 }.min(),
            alarms: SLAAlarm.plan(for: ticket, history: history, policy: self, deadlines: clocks)
        )
    }
}
