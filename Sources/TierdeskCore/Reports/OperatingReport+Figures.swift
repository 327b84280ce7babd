import Foundation

extension OperatingReport {
    /// Every figure of `period` beyond the checklist.
    public func figures(for period: ReportPeriod) -> ReportFigures {
        let opened = tickets(.opened, in: period)
        let resolved = tickets(.resolved, in: period)
        let resolvedCount = resolved.count
        let tiers = Tier.allCases.map { tier in
            let count = count(.resolvedAt(tier), in: period)
            return ReportFigures.TierShare(
                tier: tier,
                resolved: count,
                afterEscalation: self.count(.resolvedAfterEscalationAt(tier), in: period),
                share: resolvedCount > 0 ? Double(count) / Double(resolvedCount) : nil
            )
        }
        let backlogAt = backlogInstant(period)
        let backlog = Tier.allCases.map { tier in
            var byAge = Array(repeating: 0, count: ReportFigures.ageBuckets.count)
            for facts in tickets(.backlogAt(tier), in: period) {
                let age = backlogAt.timeIntervalSince(facts.createdAt)
                byAge[ReportFigures.ageLimits.firstIndex { age < $0 } ?? byAge.count - 1] += 1
            }
            return ReportFigures.Backlog(tier: tier, byAge: byAge)
        }
        let flow = period.trailing(Self.trendLength)
            .map {
                ReportFigures.Flow(period: $0.label, opened: count(.opened, in: $0), resolved: count(.resolved, in: $0))
            }
        var byHour = Array(repeating: 0, count: 24)
        for facts in opened {
            let local =
                facts.createdAt.timeIntervalSince1970
                + Double(period.timeZone.secondsFromGMT(for: facts.createdAt))
            let hour = Int((local / 3600).rounded(.down)) % 24
            byHour[(hour + 24) % 24] += 1
        }
        let channels = Channel.allCases
            .map { ReportFigures.ChannelCount(channel: $0, count: count(.channel($0), in: period)) }
            .filter { $0.count > 0 }
        let corrections =
            facts.flatMap { facts in
                facts.corrections.filter { period.contains($0.at) }
                    .map {
                        ReportFigures.CorrectionEntry(
                            ticketNumber: facts.number,
                            at: $0.at,
                            personID: $0.actorID,
                            reason: $0.reason
                        )
                    }
            }
            .sorted { ($0.at, $0.ticketNumber) < ($1.at, $1.ticketNumber) }
        let correctors = Dictionary(grouping: corrections, by: \.personID)
            .map { person, entries in
                ReportFigures.Corrector(
                    personID: person,
                    corrections: entries.count,
                    privileged: person.map(self.correctors.contains) ?? false
                )
            }
            .sorted {
                ($1.corrections, $0.personID?.uuidString ?? "") < ($0.corrections, $1.personID?.uuidString ?? "")
            }
        return ReportFigures(
            opened: opened.count,
            resolved: resolvedCount,
            tiers: tiers,
            firstContact: count(.firstContact, in: period),
            escalatedDespiteKnownError: count(.escalatedDespiteKnownError, in: period),
            compliance: compliance(of: opened),
            breaches: breaches(of: opened),
            timeToRespond: Self.mean(
                opened.compactMap { facts in
                    facts.respondedAt.map { ($0.timeIntervalSince(facts.createdAt), facts.businessSecondsToRespond) }
                }
            ),
            timeToResolve: Self.mean(
                resolved.compactMap { facts in
                    facts.resolvedAt.map { ($0.timeIntervalSince(facts.createdAt), facts.businessSecondsToResolve) }
                }
            ),
            backlogAt: backlogAt,
            backlog: backlog,
            flow: flow,
            handoffsPerTicket: resolvedCount > 0
                ? Double(resolved.reduce(0) { $0 + $1.handoffs }) / Double(resolvedCount) : nil,
            reopened: count(.reopened, in: period),
            shortNotice: count(.shortNotice, in: period),
            byChannel: channels,
            byHour: byHour,
            knownErrorsWritten: knownErrorsCreated.values.filter(period.contains).count,
            confirmedFixes: count(.confirmedFixes, in: period),
            resolvedFromKnownErrorAtL1: count(.resolvedFromKnownErrorAtL1, in: period),
            toVendor: count(.escalatedToVendor, in: period),
            toVendorStandardProduct: count(.escalatedToVendor, in: period)
                - count(.escalatedToVendorOutsideStandardProduct, in: period),
            correctors: correctors,
            corrections: corrections
        )
    }

    /// Clock states per priority and clock over `opened`, for the priorities and clocks that occur.
    func compliance(of opened: [TicketFacts]) -> [ReportFigures.Compliance] {
        var rows: [ReportFigures.Compliance] = []
        for priority in Priority.allCases {
            for kind in SLAClockKind.allCases {
                var row = ReportFigures.Compliance(
                    priority: priority,
                    clock: kind,
                    met: 0,
                    breached: 0,
                    running: 0,
                    paused: 0
                )
                for facts in opened where facts.priority == priority {
                    guard let clock = facts.clocks.first(where: { $0.kind == kind }) else { continue }
                    switch clock.state {
                    case .met: row.met += 1
                    case .breached: row.breached += 1
                    case .running: row.running += 1
                    case .paused: row.paused += 1
                    }
                }
                if row.met + row.breached + row.running + row.paused > 0 { rows.append(row) }
            }
        }
        return rows
    }

    /// Breached clocks over `opened` by clock and by the tier that held the ticket when each fell due.
    func breaches(of opened: [TicketFacts]) -> [ReportFigures.Breaches] {
        var counts: [SLAClockKind: [Tier: Int]] = [:]
        for facts in opened {
            for clock in facts.clocks where clock.state == .breached {
                counts[clock.kind, default: [:]][clock.tierAtDue ?? facts.tier, default: 0] += 1
            }
        }
        return SLAClockKind.allCases.flatMap { kind in
            Tier.allCases.compactMap { tier in
                counts[kind]?[tier].map { ReportFigures.Breaches(clock: kind, tier: tier, count: $0) }
            }
        }
    }

    static func mean(_ samples: [(wall: TimeInterval, business: TimeInterval?)]) -> ReportFigures.MeanTime {
        let business = samples.compactMap(\.business)
        return ReportFigures.MeanTime(
            tickets: samples.count,
            wallSeconds: samples.isEmpty ? nil : samples.reduce(0) { $0 + $1.wall } / Double(samples.count),
            businessSeconds: business.isEmpty ? nil : business.reduce(0, +) / Double(business.count)
        )
    }
}
