import Foundation

/// A moment at which Tierdesk acts on an SLA clock: when a share of its target is used (warning) and
/// at its deadline (breach). Clock, level and due time identify an alarm, so each fires exactly once;
/// a clock that restarts (the next-update clock) or moves (a pause) gets new alarms.
public struct SLAAlarm: Equatable, Sendable {
    public enum Level: String, Sendable, CaseIterable, Codable {
        case warning, breach
    }

    public var clock: SLAClockKind
    public var level: Level
    /// The deadline of the clock this alarm belongs to.
    public var due: Date
    public var fireAt: Date

    public init(clock: SLAClockKind, level: Level, due: Date, fireAt: Date) {
        self.clock = clock
        self.level = level
        self.due = due
        self.fireAt = fireAt
    }

    /// The alarms a ticket needs after its latest change: for every clock that runs (or already ran
    /// past its deadline), a warning and a breach. Paused, met and stopped clocks need none.
    /// `deadlines` are the ticket's clocks, when the caller has them already.
    public static func plan(
        for ticket: Ticket,
        history: [TicketEvent],
        policy: SLAPolicy,
        deadlines: [TicketClock]? = nil
    ) -> [SLAAlarm] {
        guard ticket.status.isOpen else { return [] }
        let now = ticket.updatedAt
        let deadlines =
            deadlines
            ?? TicketClocks.clocks(for: ticket, events: history, policy: policy, now: now, measuringRemaining: false)
        let warnings = TicketClocks.clocks(
            for: ticket,
            events: history,
            policy: policy,
            now: now,
            share: policy.warningShare,
            measuringRemaining: false
        )
        var alarms: [SLAAlarm] = []
        for clock in deadlines where clock.state == .running || clock.state == .breached {
            guard let due = clock.due else { continue }
            if let warning = warnings.first(where: { $0.kind == clock.kind })?.due {
                alarms.append(SLAAlarm(clock: clock.kind, level: .warning, due: due, fireAt: warning))
            }
            alarms.append(SLAAlarm(clock: clock.kind, level: .breach, due: due, fireAt: due))
        }
        return alarms
    }
}
