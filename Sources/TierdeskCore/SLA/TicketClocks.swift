import Foundation

/// A ticket's SLA clock at an instant.
public struct TicketClock: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, CaseIterable {
        case running, paused, met, breached
    }

    public var kind: SLAClockKind
    /// When the clock falls (or fell) due; nil while paused.
    public var due: Date?
    public var state: State
    /// Open calendar time left until `due`, zero once breached; nil while paused or once stopped.
    public var remaining: TimeInterval?
}

/// Derives a ticket's clocks from its history and the policy for its current priority. Pure: the same
/// events, policy and instant give the same clocks, so a priority change or a pause never corrupts them.
public enum TicketClocks {
    /// - Parameters:
    ///   - share: the part of each target to run to; 0.75 gives the instants of the warnings.
    ///   - measuringRemaining: whether to work out the business time left on running clocks; planning
    ///     needs only due times and states.
    public static func clocks(
        for ticket: Ticket,
        events: [TicketEvent],
        policy: SLAPolicy,
        now: Date,
        share: Double = 1,
        measuringRemaining: Bool = true
    ) -> [TicketClock] {
        let targets = (policy.targets[ticket.priority] ?? [:])
            .mapValues { Target(seconds: Double($0.minutes) * 60 * share, calendar: $0.calendar) }
        let history = History(ticket: ticket, events: events, pausing: policy.pausingStatuses)
        let now = Now(instant: now, measuringRemaining: measuringRemaining)
        var clocks: [TicketClock] = []
        if let target = targets[.firstResponse] {
            clocks.append(firstResponse(target, history, policy, now))
        }
        if let target = targets[.nextUpdate], ticket.severity != .sev3, ticket.status.isOpen {
            clocks.append(nextUpdate(target, history, policy, now))
        }
        if let target = targets[.resolution] {
            clocks.append(resolution(target, history, policy, now))
        }
        return clocks
    }

    /// The only kinds of event the clocks read; a history without the others gives the same clocks.
    public static let eventKinds: Set<TicketEventKind> = [.publicReply, .statusChanged]

    /// The instant clocks are read at, and whether to measure the time left.
    struct Now {
        var instant: Date
        var measuringRemaining: Bool
    }

    /// A target in seconds (cut to a share of its length for warnings) and the name of its calendar.
    struct Target {
        var seconds: Double
        var calendar: String
    }

    /// The earliest instant at which a running clock falls due, for queues and timers.
    public static func nextDeadline(_ clocks: [TicketClock]) -> Date? {
        clocks.filter { $0.state == .running || $0.state == .breached }.compactMap(\.due).min()
    }

    /// What the history says about the clocks: when the ticket ran, was answered, updated and resolved.
    struct History {
        var created: Date
        /// Stretches during which the resolution and update clocks run: open and not waiting.
        var running: [(start: Date, end: Date?)] = []
        var firstReply: Date?
        var lastUpdate: Date
        var resolvedAt: Date?

        init(ticket: Ticket, events: [TicketEvent], pausing: Set<TicketStatus>) {
            created = ticket.createdAt
            lastUpdate = ticket.createdAt
            var status = TicketStatus.new
            // Work moved to a project stops the clocks as resolving would, until it moves back.
            var inProject = false
            var since: Date? = ticket.createdAt
            func move(to next: TicketStatus, project: Bool, at instant: Date) {
                let runs = next.isOpen && !pausing.contains(next) && !project
                if runs, since == nil { since = instant }
                if !runs, let start = since {
                    running.append((start, instant))
                    since = nil
                }
                let stopped = !next.isOpen || project
                let wasStopped = !status.isOpen || inProject
                if stopped, !wasStopped { resolvedAt = instant }
                if !stopped { resolvedAt = nil }
                status = next
                inProject = project
            }
            for event in events {
                switch event.kind {
                case .publicReply where event.byStaff:
                    if firstReply == nil { firstReply = event.at }
                    lastUpdate = event.at
                case .statusChanged:
                    guard let next = event.after.flatMap(TicketStatus.init(rawValue:)) else { continue }
                    move(to: next, project: inProject, at: event.at)
                    if event.body != nil, event.byStaff { lastUpdate = event.at }
                case .scopeChanged:
                    move(to: status, project: event.after == BillingScope.Kind.project.rawValue, at: event.at)
                default:
                    continue
                }
            }
            if let start = since { running.append((start, nil)) }
        }
    }

    static func firstResponse(_ target: Target, _ history: History, _ policy: SLAPolicy, _ now: Now) -> TicketClock {
        let calendar = policy.calendar(target.calendar)
        let due = calendar.adding(seconds: target.seconds, to: history.created)
        if let answered = history.firstReply ?? history.resolvedAt {
            return TicketClock(
                kind: .firstResponse,
                due: due,
                state: answered <= due ? .met : .breached,
                remaining: nil
            )
        }
        return live(.firstResponse, due: due, calendar: calendar, now: now)
    }

    static func nextUpdate(_ target: Target, _ history: History, _ policy: SLAPolicy, _ now: Now) -> TicketClock {
        let calendar = policy.calendar(target.calendar)
        let stretches = history.running.compactMap { stretch -> (start: Date, end: Date?)? in
            if let end = stretch.end, end <= history.lastUpdate { return nil }
            return (max(stretch.start, history.lastUpdate), stretch.end)
        }
        return run(.nextUpdate, target: target, calendar: calendar, stretches: stretches, stoppedAt: nil, now: now)
    }

    static func resolution(_ target: Target, _ history: History, _ policy: SLAPolicy, _ now: Now) -> TicketClock {
        run(
            .resolution,
            target: target,
            calendar: policy.calendar(target.calendar),
            stretches: history.running,
            stoppedAt: history.resolvedAt,
            now: now
        )
    }

    /// Runs a clock over its running stretches. A deadline reached in any stretch stays reached.
    static func run(
        _ kind: SLAClockKind,
        target: Target,
        calendar: BusinessCalendar,
        stretches: [(start: Date, end: Date?)],
        stoppedAt: Date?,
        now: Now
    ) -> TicketClock {
        switch (ClockRun.run(seconds: target.seconds, over: stretches, in: calendar), stoppedAt) {
        case (.reached(let due), let stopped?):
            return TicketClock(kind: kind, due: due, state: stopped <= due ? .met : .breached, remaining: nil)
        case (.reached(let due), nil):
            return live(kind, due: due, calendar: calendar, now: now)
        case (.unreached, .some):
            return TicketClock(kind: kind, due: nil, state: .met, remaining: nil)
        case (.unreached, nil):
            return TicketClock(kind: kind, due: nil, state: .paused, remaining: nil)
        }
    }

    private static func live(_ kind: SLAClockKind, due: Date, calendar: BusinessCalendar, now: Now) -> TicketClock {
        due <= now.instant
            ? TicketClock(kind: kind, due: due, state: .breached, remaining: 0)
            : TicketClock(
                kind: kind,
                due: due,
                state: .running,
                remaining: now.measuringRemaining ? calendar.openSeconds(from: now.instant, to: due) : nil
            )
    }
}
