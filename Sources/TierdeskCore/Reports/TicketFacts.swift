import Foundation

/// What a ticket's history says for the reports: when it was answered, escalated, resolved, at which tier,
/// how its SLA clocks ended. Derived purely from the ticket, its events and its SLA policy, so a report
/// recomputed from the events always gives the same figures.
public struct TicketFacts: Sendable, Equatable {
    /// One hand-over to a higher tier.
    public struct Escalation: Sendable, Equatable {
        public var at: Date
        public var from: Tier
        public var to: Tier
        /// Whether the escalation carried reproduction steps and a log extract (what L3 accepts).
        public var carriesStepsAndLogs: Bool
        /// Whether the root cause was isolated as a standard-product defect (what a vendor fixes).
        public var standardProductDefect: Bool
        /// Whether a Known Error Database article had been applied at L1 before it left L1.
        public var afterKnownErrorAtL1: Bool
    }

    /// One data correction in the supported system: who, when and why.
    public struct Correction: Sendable, Equatable {
        public var at: Date
        public var actorID: UUID?
        public var reason: String
    }

    /// A stretch during which the ticket was open (not resolved or closed); `end` is nil while it still is.
    public struct OpenSpan: Sendable, Equatable {
        public var start: Date
        public var end: Date?
    }

    /// The tier a ticket moved to, and when.
    public struct TierChange: Sendable, Equatable {
        public var at: Date
        public var tier: Tier
    }

    /// How an SLA clock stands at the moment the report is made.
    public struct Clock: Sendable, Equatable {
        public var kind: SLAClockKind
        public var state: TicketClock.State
        public var due: Date?
        /// The tier that held the ticket when a breached clock fell due: the breach's cause.
        public var tierAtDue: Tier?
    }

    public var ticketID: UUID
    public var number: Int
    public var title: String
    public var type: TicketType
    public var channel: Channel
    public var organisationID: UUID
    public var serviceID: UUID?
    public var group: String?
    public var tier: Tier
    public var priority: Priority
    public var severity: Severity
    public var status: TicketStatus
    public var vendorID: UUID?
    public var createdAt: Date
    /// The tier the ticket was opened at (after the triage rules that ran with its creation).
    public var openedTier: Tier
    /// When it was last resolved or closed, if it is now.
    public var resolvedAt: Date?
    /// The tier that held it when it was last resolved.
    public var resolvedTier: Tier?
    public var resolution: Resolution?
    /// The first public reply of staff (or the resolution, if that came first): the response.
    public var respondedAt: Date?
    /// When it became Sev1 (its creation, or the severity change), if it is Sev1 now.
    public var sev1Since: Date?
    /// The first public reply of staff (or resolution) once it was Sev1: the Sev1 response.
    public var sev1AnsweredAt: Date?
    public var escalations: [Escalation]
    /// Changes of tier: escalations, de-escalations and re-routing after creation (the triage rules'
    /// routing with the creation is where it was opened, not a hand-off).
    public var handoffs: Int
    /// Times it was reopened after being resolved or closed.
    public var reopens: Int
    /// Public replies of the requester (or anyone not staff) after it was opened.
    public var requesterFollowUps: Int
    /// Whether L1 resolved it from a Known Error Database article (the shift-left figure).
    public var resolvedFromKnownErrorAtL1: Bool
    /// The article linked to it, if any.
    public var knownErrorID: UUID?
    public var corrections: [Correction]
    public var openSpans: [OpenSpan]
    /// The tiers it was at, from its creation on.
    public var tiers: [TierChange]
    public var clocks: [Clock]
    /// Next-update deadlines the SLA timer recorded as missed.
    public var missedUpdates: Int
    /// Business seconds from creation to the response, in the first-response clock's calendar.
    public var businessSecondsToRespond: TimeInterval?
    /// Business seconds the ticket ran (open and not waiting) until it was resolved, in the resolution
    /// clock's calendar.
    public var businessSecondsToResolve: TimeInterval?
    /// A request opened with too little notice for its needed-by date (``NoticeRule``).
    public var shortNotice: Bool

    /// Whether the ticket was ever handed to a higher tier.
    public var everEscalated: Bool { !escalations.isEmpty }
    /// Whether it is open at `instant`.
    public func isOpen(at instant: Date) -> Bool {
        openSpans.contains { $0.start <= instant && ($0.end.map { instant < $0 } ?? true) }
    }

    /// The tier that held it at `instant`.
    public func tier(at instant: Date) -> Tier {
        tiers.last { $0.at <= instant }?.tier ?? openedTier
    }

    /// Resolved at the tier it was opened at, never handed over or reopened, and without the requester
    /// having to write again.
    public var firstContactResolution: Bool {
        resolvedAt != nil && handoffs == 0 && reopens == 0 && requesterFollowUps == 0
    }

    /// Derives the facts from a ticket and its whole history (oldest first) under `policy`, at `now`.
    public static func derive(ticket: Ticket, events: [TicketEvent], policy: SLAPolicy, now: Date)
        -> TicketFacts
    {
        let tierChanges = events.filter {
            ($0.kind == .escalated || $0.kind == .deescalated || $0.kind == .tierChanged) && $0.field == "tier"
        }
        var tierNow = tierChanges.first?.before.flatMap(Tier.init(rawValue:)) ?? ticket.tier
        var timeline: [TierChange] = []
        var status = TicketStatus.new
        var spans: [OpenSpan] = [OpenSpan(start: ticket.createdAt, end: nil)]
        var resolvedAt: Date?
        var resolvedTier: Tier?
        var reopens = 0
        var respondedAt: Date?
        var followUps = 0
        var handoffs = 0
        var escalations: [Escalation] = []
        var knownErrorAtL1 = false
        var resolvedFromKnownErrorAtL1 = false
        var corrections: [Correction] = []
        var missedUpdates = 0
        var firstMissedUpdate: Date?
        var severity = Severity(
            rawValue:
                events.first { $0.kind == .fieldChanged && $0.field == "severity" }?.before ?? ticket.severity.rawValue
        )
        var sev1Since: Date? = severity == .sev1 ? ticket.createdAt : nil
        // Tier changes written with the creation (triage rules) set the tier it was opened at.
        let routing = { (event: TicketEvent) in event.kind == .tierChanged && event.at <= ticket.createdAt }
        for change in tierChanges where routing(change) {
            if let tier = change.after.flatMap(Tier.init(rawValue:)) { tierNow = tier }
        }
        let openedTier = tierNow
        timeline.append(TierChange(at: ticket.createdAt, tier: tierNow))
        for event in events {
            switch event.kind {
            case .escalated, .deescalated, .tierChanged:
                guard event.field == "tier", let to = event.after.flatMap(Tier.init(rawValue:)) else { continue }
                if routing(event) { continue }
                handoffs += 1
                if event.kind == .escalated {
                    let body = event.body ?? ""
                    escalations.append(
                        Escalation(
                            at: event.at,
                            from: tierNow,
                            to: to,
                            carriesStepsAndLogs: body.contains("Reproduction steps: ")
                                && body.contains("Log extract: "),
                            standardProductDefect: body.contains("Root cause: standard product"),
                            afterKnownErrorAtL1: tierNow == .l1 && knownErrorAtL1
                        )
                    )
                }
                tierNow = to
                timeline.append(TierChange(at: event.at, tier: to))
            case .statusChanged:
                guard let next = event.after.flatMap(TicketStatus.init(rawValue:)) else { continue }
                if status.isOpen, !next.isOpen {
                    resolvedAt = event.at
                    resolvedTier = tierNow
                    spans[spans.count - 1].end = event.at
                    if respondedAt == nil { respondedAt = event.at }
                } else if !status.isOpen, next.isOpen {
                    reopens += 1
                    resolvedAt = nil
                    resolvedTier = nil
                    resolvedFromKnownErrorAtL1 = false
                    spans.append(OpenSpan(start: event.at, end: nil))
                }
                status = next
            case .publicReply:
                if event.byStaff {
                    if respondedAt == nil { respondedAt = event.at }
                } else if event.at > ticket.createdAt {
                    followUps += 1
                }
            case .knownErrorApplied:
                if event.before == Tier.l1.rawValue {
                    knownErrorAtL1 = true
                    if event.body?.hasPrefix("Resolved") == true { resolvedFromKnownErrorAtL1 = true }
                }
            case .dataCorrection:
                corrections.append(Correction(at: event.at, actorID: event.actorID, reason: event.body ?? ""))
            case .slaAlarm:
                if event.field == SLAClockKind.nextUpdate.rawValue, event.after == SLAAlarm.Level.breach.rawValue {
                    missedUpdates += 1
                    if firstMissedUpdate == nil { firstMissedUpdate = event.at }
                }
            case .fieldChanged where event.field == "severity":
                let next = event.after.flatMap(Severity.init(rawValue:))
                if next == .sev1, severity != .sev1 { sev1Since = event.at }
                if next != .sev1 { sev1Since = nil }
                severity = next
            default:
                continue
            }
        }
        func tier(at instant: Date) -> Tier {
            timeline.last { $0.at <= instant }?.tier ?? openedTier
        }
        var clocks =
            TicketClocks.clocks(
                for: ticket,
                events: events,
                policy: policy,
                now: now,
                measuringRemaining: false
            )
            .map { clock in
                Clock(
                    kind: clock.kind,
                    state: clock.state,
                    due: clock.due,
                    tierAtDue: clock.state == .breached ? clock.due.map(tier(at:)) : nil
                )
            }
        let targets = policy.targets[ticket.priority] ?? [:]
        // The next-update clock exists only while a Sev1/Sev2 ticket is open; its misses are the alarms the
        // SLA timer recorded, so it is judged by them once the ticket is closed.
        if targets[.nextUpdate] != nil, ticket.severity != .sev3 {
            let missed = firstMissedUpdate.map {
                Clock(kind: .nextUpdate, state: .breached, due: $0, tierAtDue: tier(at: $0))
            }
            if let index = clocks.firstIndex(where: { $0.kind == .nextUpdate }) {
                if let missed, clocks[index].state != .breached { clocks[index] = missed }
            } else {
                clocks.append(missed ?? Clock(kind: .nextUpdate, state: .met, due: nil, tierAtDue: nil))
            }
        }
        let toRespond = respondedAt.flatMap { answered in
            targets[.firstResponse]
                .map {
                    policy.calendar($0.calendar).openSeconds(from: ticket.createdAt, to: answered)
                }
        }
        let toResolve = resolvedAt.flatMap { _ in
            targets[.resolution]
                .map { target in
                    let calendar = policy.calendar(target.calendar)
                    return Self.runningSpans(ticket: ticket, events: events, pausing: policy.pausingStatuses)
                        .reduce(0) { $0 + calendar.openSeconds(from: $1.start, to: $1.end) }
                }
        }
        let sev1Start = ticket.severity == .sev1 ? sev1Since ?? ticket.createdAt : nil
        let sev1AnsweredAt = sev1Start.flatMap { start in
            events.first { event in
                guard event.at >= start else { return false }
                if event.kind == .publicReply { return event.byStaff }
                return event.kind == .statusChanged
                    && event.after.flatMap(TicketStatus.init(rawValue:)).map { !$0.isOpen } == true
            }?
            .at
        }
        return TicketFacts(
            ticketID: ticket.id,
            number: ticket.number,
            title: ticket.title,
            type: ticket.type,
            channel: ticket.channel,
            organisationID: ticket.organisationID,
            serviceID: ticket.serviceID,
            group: ticket.group,
            tier: ticket.tier,
            priority: ticket.priority,
            severity: ticket.severity,
            status: ticket.status,
            vendorID: ticket.vendorID,
            createdAt: ticket.createdAt,
            openedTier: openedTier,
            resolvedAt: resolvedAt,
            resolvedTier: resolvedTier,
            resolution: resolvedAt == nil ? nil : ticket.resolution,
            respondedAt: respondedAt,
            sev1Since: sev1Start,
            sev1AnsweredAt: sev1AnsweredAt,
            escalations: escalations,
            handoffs: handoffs,
            reopens: reopens,
            requesterFollowUps: followUps,
            resolvedFromKnownErrorAtL1: resolvedFromKnownErrorAtL1,
            knownErrorID: ticket.knownErrorID,
            corrections: corrections,
            openSpans: spans,
            tiers: timeline,
            clocks: clocks,
            missedUpdates: missedUpdates,
            businessSecondsToRespond: toRespond,
            businessSecondsToResolve: toResolve,
            shortNotice: ticket.tags.contains(NoticeRule.shortNoticeTag)
        )
    }

    /// The closed stretches during which the ticket ran (open and not waiting) up to its last resolution.
    static func runningSpans(ticket: Ticket, events: [TicketEvent], pausing: Set<TicketStatus>)
        -> [(start: Date, end: Date)]
    {
        let history = TicketClocks.History(ticket: ticket, events: events, pausing: pausing)
        return history.running.compactMap { span in span.end.map { (span.start, $0) } }
    }
}
