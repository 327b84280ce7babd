import Foundation

extension TicketFacts {
    /// A stretch during which the ticket stood open at one tier; `end` is nil while it still does.
    public struct BacklogSegment: Sendable, Equatable, Codable {
        public var start: Date
        public var end: Date?
        public var tier: Tier
    }

    /// What the ticket adds to the reports' numbers at `now` (see ``ReportEntry``).
    /// - Parameters:
    ///   - knownErrorsCreated: when each Known Error Database article was written.
    ///   - zone: the time zone whose local hours the hour-of-day entries count in; without one, there are none.
    public func entries(now: Date, knownErrorsCreated: [UUID: Date], zone: TimeZone?) -> [ReportEntry] {
        var entries: [ReportEntry] = []
        func add(_ key: String, _ at: Date, value: Int64 = 0, business: Int64? = nil) {
            entries.append(ReportEntry(key: key, at: at, value: value, business: business))
        }
        add(ReportSlice.opened.name, createdAt)
        add(ReportSlice.channel(channel).name, createdAt)
        if let zone { add(ReportKey.openedAtHour(Self.localHour(of: createdAt, in: zone)), createdAt) }
        if shortNotice { add(ReportSlice.shortNotice.name, createdAt) }
        var clocked: Set<SLAClockKind> = []
        for clock in clocks where clocked.insert(clock.kind).inserted {
            add(ReportKey.clock(clock.kind, clock.state, priority), createdAt)
            if clock.state == .breached { add(ReportKey.breach(clock.kind, clock.tierAtDue ?? tier), createdAt) }
        }
        if let respondedAt {
            add(
                ReportKey.responded,
                createdAt,
                value: ReportEntry.milliseconds(respondedAt.timeIntervalSince(createdAt)),
                business: businessSecondsToRespond.map(ReportEntry.milliseconds)
            )
        }
        if let resolvedAt {
            add(ReportSlice.resolved.name, resolvedAt)
            if let resolvedTier {
                add(ReportSlice.resolvedAt(resolvedTier).name, resolvedAt)
                if everEscalated { add(ReportSlice.resolvedAfterEscalationAt(resolvedTier).name, resolvedAt) }
                if resolvedTier == .l1, resolvedFromKnownErrorAtL1 {
                    add(ReportSlice.resolvedFromKnownErrorAtL1.name, resolvedAt)
                }
            }
            if firstContactResolution { add(ReportSlice.firstContact.name, resolvedAt) }
            if reopens > 0 { add(ReportSlice.reopened.name, resolvedAt) }
            add(
                ReportKey.resolutionTime,
                resolvedAt,
                value: ReportEntry.milliseconds(resolvedAt.timeIntervalSince(createdAt)),
                business: businessSecondsToResolve.map(ReportEntry.milliseconds)
            )
            add(ReportKey.handoffs, resolvedAt, value: Int64(handoffs))
            if resolution == .confirmedDefectFixed {
                add(ReportSlice.confirmedFixes.name, resolvedAt)
                let written = knownErrorID.flatMap { knownErrorsCreated[$0] }
                if written.map({ $0 < createdAt }) ?? true {
                    add(ReportSlice.confirmedFixesWithoutNewArticle.name, resolvedAt)
                }
            }
        }
        if let since = sev1Since {
            add(ReportSlice.sev1.name, since)
            let waited = (sev1AnsweredAt ?? now).timeIntervalSince(since)
            if waited > OperatingReport.sev1ResponseLimit {
                add(ReportSlice.sev1Late.name, since)
            } else if sev1AnsweredAt == nil {
                add(ReportKey.sev1Waiting, since)
            }
        }
        var last: [String: Date] = [:]
        func repeated(_ key: String, _ at: Date) {
            entries.append(ReportEntry(key: key, at: at, previous: last[key]))
            last[key] = at
        }
        for escalation in escalations {
            if escalation.from == .l1, escalation.afterKnownErrorAtL1 {
                repeated(ReportSlice.escalatedDespiteKnownError.name, escalation.at)
            }
            if escalation.from == .l2, escalation.to == .l3 {
                repeated(ReportSlice.escalatedToL3.name, escalation.at)
                if !escalation.carriesStepsAndLogs {
                    repeated(ReportSlice.escalatedToL3WithoutEvidence.name, escalation.at)
                }
            }
            if escalation.to == .l4 {
                repeated(ReportSlice.escalatedToVendor.name, escalation.at)
                if !escalation.standardProductDefect {
                    repeated(ReportSlice.escalatedToVendorOutsideStandardProduct.name, escalation.at)
                }
            }
        }
        return entries
    }

    /// The first instant after `now` at which the ticket's entries change without anything happening to it
    /// (a running clock falls due, a Sev1 passes its 15 minutes unanswered); nil if none will.
    public func entriesValidUntil(now: Date) -> Date? {
        var instants = clocks.filter { $0.state == .running }.compactMap(\.due)
        if let since = sev1Since, sev1AnsweredAt == nil {
            let late = since.addingTimeInterval(OperatingReport.sev1ResponseLimit + 0.001)
            if late > now { instants.append(late) }
        }
        return instants.min()
    }

    /// The stretches it stood open, each cut where its tier changed: the backlog of any instant is the
    /// segments holding it.
    public var backlogSegments: [BacklogSegment] {
        var segments: [BacklogSegment] = []
        for span in openSpans {
            var start = span.start
            for change in tiers where change.at > span.start && (span.end.map { change.at < $0 } ?? true) {
                if change.at > start {
                    segments.append(BacklogSegment(start: start, end: change.at, tier: tier(at: start)))
                    start = change.at
                }
            }
            segments.append(BacklogSegment(start: start, end: span.end, tier: tier(at: start)))
        }
        return segments.filter { segment in segment.end.map { $0 > segment.start } ?? true }
    }

    /// The local hour of day (0–23) of `instant` in `zone`.
    static func localHour(of instant: Date, in zone: TimeZone) -> Int {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        let hour = Int((local / 3600).rounded(.down)) % 24
        return (hour + 24) % 24
    }
}
