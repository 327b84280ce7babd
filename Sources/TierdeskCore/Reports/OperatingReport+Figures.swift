import Foundation

extension OperatingReport {
    /// Every figure of `period` beyond the checklist.
    public func figures(for period: ReportPeriod) -> ReportFigures {
        let tally = counting.tally(period)
        func count(_ slice: ReportSlice) -> Int { self.count(slice, in: period, tally: tally) }
        let resolvedCount = count(.resolved)
        let tiers = Tier.allCases.map { tier in
            let count = count(.resolvedAt(tier))
            return ReportFigures.TierShare(
                tier: tier,
                resolved: count,
                afterEscalation: self.count(.resolvedAfterEscalationAt(tier), in: period, tally: tally),
                share: resolvedCount > 0 ? Double(count) / Double(resolvedCount) : nil
            )
        }
        let backlogAt = backlogInstant(period)
        let open = counting.backlog(at: backlogAt)
        let backlog = Tier.allCases.map { tier in
            ReportFigures.Backlog(
                tier: tier,
                byAge: open[tier] ?? Array(repeating: 0, count: ReportFigures.ageLimits.count)
            )
        }
        let flow = period.trailing(Self.trendLength)
            .map { earlier in
                let earlierTally = earlier == period ? tally : counting.tally(earlier)
                return ReportFigures.Flow(
                    period: earlier.label,
                    opened: earlierTally.tickets(ReportSlice.opened.name),
                    resolved: earlierTally.tickets(ReportSlice.resolved.name)
                )
            }
        let channels = Channel.allCases
            .map { ReportFigures.ChannelCount(channel: $0, count: count(.channel($0))) }
            .filter { $0.count > 0 }
        let correctors = tally.correctionCounts.byPerson
            .map { person, count in
                ReportFigures.Corrector(
                    personID: person,
                    corrections: count,
                    privileged: person.map(self.correctors.contains) ?? false
                )
            }
            .sorted {
                ($1.corrections, $0.personID?.uuidString ?? "") < ($0.corrections, $1.personID?.uuidString ?? "")
            }
        let handoffs = tally[ReportKey.handoffs]
        return ReportFigures(
            opened: count(.opened),
            resolved: resolvedCount,
            tiers: tiers,
            firstContact: count(.firstContact),
            escalatedDespiteKnownError: count(.escalatedDespiteKnownError),
            compliance: Self.compliance(tally),
            breaches: Self.breaches(tally),
            timeToRespond: Self.mean(tally[ReportKey.responded]),
            timeToResolve: Self.mean(tally[ReportKey.resolutionTime]),
            backlogAt: backlogAt,
            backlog: backlog,
            flow: flow,
            handoffsPerTicket: handoffs.tickets > 0 ? Double(handoffs.value) / Double(handoffs.tickets) : nil,
            reopened: count(.reopened),
            shortNotice: count(.shortNotice),
            byChannel: channels,
            byHour: (0..<24).map { tally.tickets(ReportKey.openedAtHour($0)) },
            knownErrorsWritten: knownErrorsCreated.values.filter(period.contains).count,
            confirmedFixes: count(.confirmedFixes),
            resolvedFromKnownErrorAtL1: count(.resolvedFromKnownErrorAtL1),
            toVendor: count(.escalatedToVendor),
            toVendorStandardProduct: count(.escalatedToVendor) - count(.escalatedToVendorOutsideStandardProduct),
            correctors: correctors
        )
    }

    /// Clock states per priority and clock over the tickets opened in the tally's period, for the priorities
    /// and clocks that occur.
    static func compliance(_ tally: ReportTally) -> [ReportFigures.Compliance] {
        Priority.allCases.flatMap { priority in
            SLAClockKind.allCases.compactMap { kind in
                func count(_ state: TicketClock.State) -> Int { tally.tickets(ReportKey.clock(kind, state, priority)) }
                let row = ReportFigures.Compliance(
                    priority: priority,
                    clock: kind,
                    met: count(.met),
                    breached: count(.breached),
                    running: count(.running),
                    paused: count(.paused)
                )
                return row.met + row.breached + row.running + row.paused > 0 ? row : nil
            }
        }
    }

    /// Breached clocks over the tickets opened in the tally's period, by clock and by the tier that held the
    /// ticket when each fell due.
    static func breaches(_ tally: ReportTally) -> [ReportFigures.Breaches] {
        SLAClockKind.allCases.flatMap { kind in
            Tier.allCases.compactMap { tier in
                let count = tally.tickets(ReportKey.breach(kind, tier))
                return count > 0 ? ReportFigures.Breaches(clock: kind, tier: tier, count: count) : nil
            }
        }
    }

    /// The mean of durations added up in milliseconds.
    static func mean(_ totals: ReportTotals) -> ReportFigures.MeanTime {
        ReportFigures.MeanTime(
            tickets: totals.tickets,
            wallSeconds: totals.tickets > 0 ? Double(totals.value) / 1000 / Double(totals.tickets) : nil,
            businessSeconds: totals.businessTickets > 0
                ? Double(totals.business) / 1000 / Double(totals.businessTickets) : nil
        )
    }
}
