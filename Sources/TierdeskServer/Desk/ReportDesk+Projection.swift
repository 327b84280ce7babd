import Foundation
import TierdeskCore
import TierdeskStore

extension ReportDesk {
    /// Bumped whenever what a ticket adds to the reports changes in code, so a new release re-derives the
    /// projection.
    static let derivationVersion = 3

    /// How the projection derives tickets' facts at `now`: with the SLA settings in force, in the home time zone.
    func derivation(at now: Date) async throws -> ReportProjection.Derivation {
        try await sla.refresh(at: now)
        let configuration = sla.current
        let zone = try await homeTimeZone()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let settings = String(decoding: try encoder.encode(SLAConfigurationSpec(configuration)), as: UTF8.self)
        let text = [
            "v\(Self.derivationVersion)", zone.identifier, settings, configuration.contractPolicies.fingerprint,
        ]
        .joined(separator: "\n")
        return ReportProjection.Derivation(
            fingerprint: String(FNV.digest(text), radix: 16),
            zone: zone,
            now: now,
            knownErrorsCreated: try await reports.knownErrorsCreated(),
            facts: { ticket, events in
                TicketFacts.derive(
                    ticket: ticket,
                    events: events,
                    policy: configuration.policy(for: ticket),
                    now: now
                )
            }
        )
    }

    /// How the projection derives tickets now, when it can answer a report of `period` with `filter` at
    /// `now`: in the home time zone, filtered by tier at most (the day sums are kept per tier only), not asked
    /// about an instant before one it was derived at, and not being re-derived in bulk
    /// (``ReportProjection/isNearlyCurrent(_:)``); nil when it cannot.
    func servingDerivation(_ period: ReportPeriod, filter: ReportFilter, at now: Date) async throws
        -> ReportProjection.Derivation?
    {
        guard ReportFilter(tier: filter.tier) == filter else { return nil }
        let projection = reports.projection
        guard try await projection.serves(at: now) else { return nil }
        let derivation = try await derivation(at: now)
        // The projection's days are those of the home time zone, the derivation's.
        guard period.timeZone.identifier == derivation.zone.identifier else { return nil }
        return try await projection.isNearlyCurrent(derivation) ? derivation : nil
    }

    /// Brings the projection up to date with `derivation`, and returns the instant it then holds for: the
    /// derivation's, or a little later when a refresh running at the same moment derived at a later instant
    /// (the report is then made at that instant, once everything is derived for it).
    func caughtUp(_ derivation: ReportProjection.Derivation) async throws -> Date {
        let projection = reports.projection
        var derivation = derivation
        while true {
            try await projection.catchUp(derivation)
            guard let derived = try await projection.derivedAt(), derived > derivation.now else {
                return derivation.now
            }
            derivation = try await self.derivation(at: derived)
        }
    }

    /// The report's numbers from the projection, brought up to date first: the sums of each trailing
    /// period's days, their data corrections, and the backlog at the last period's end (or now).
    func projectedCounting(
        _ periods: [ReportPeriod],
        filter: ReportFilter,
        correctors: Set<UUID>,
        derivation: ReportProjection.Derivation
    ) async throws -> ProjectedCounting {
        let projection = reports.projection
        let now = try await caughtUp(derivation)
        guard let last = periods.last else {
            return ProjectedCounting(now: now, tallies: [:], backlogAt: now, backlog: [:])
        }
        let totals = try await projection.totals(periods: periods.map(\.days), tier: filter.tier)
        let counts = try await projection.correctionCounts(
            periods: periods.map { $0.start..<$0.end },
            tier: filter.tier,
            correctors: correctors
        )
        var tallies: [Date: ReportTally] = [:]
        for (index, period) in periods.enumerated() {
            tallies[period.start] = ReportTally(totals: totals[index], correctionCounts: counts[index])
        }
        let instant = min(last.end, now)
        return ProjectedCounting(
            now: now,
            tallies: tallies,
            backlogAt: instant,
            backlog: try await projection.backlog(at: instant, tier: filter.tier)
        )
    }
}

/// A report's numbers read from the projection: the tallies of the periods it was read for, and the
/// backlog of one instant.
struct ProjectedCounting: ReportCounting {
    /// The instant the numbers hold for.
    let now: Date
    let tallies: [Date: ReportTally]
    let backlogAt: Date
    let backlog: [Tier: [Int]]

    func tally(_ period: ReportPeriod) -> ReportTally {
        tallies[period.start] ?? ReportTally()
    }

    func backlog(at instant: Date) -> [Tier: [Int]] {
        instant == backlogAt ? backlog : [:]
    }
}

extension AppComponents {
    /// Brings the reports' projection up to date at `now` (all of it on a new database, a new release or
    /// new SLA settings); returns how many tickets it derived.
    public func catchUpReportProjection(at now: Date) async throws -> Int {
        _ = try await sla.reload(at: now)
        return try await reports.projection.catchUp(try await reportDesk.derivation(at: now))
    }
}
