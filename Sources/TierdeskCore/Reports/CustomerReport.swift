import Foundation

/// What a customer organisation is shown of a period (usually a month): its tickets by priority, how each
/// SLA clock ended, the mean times, and how available its services were, judged by the time its Sev1
/// tickets stood open.
public struct CustomerReport: Sendable, Equatable {
    /// Tickets of a priority opened and resolved in the period.
    public struct PriorityCount: Sendable, Equatable {
        public var priority: Priority
        public var opened: Int
        public var resolved: Int
    }

    /// A service's availability: the share of the period without an open Sev1 ticket on it.
    public struct Availability: Sendable, Equatable {
        /// The service; nil for Sev1 tickets without one.
        public var serviceID: UUID?
        public var sev1Tickets: Int
        /// Seconds of the period with at least one Sev1 ticket open on the service (overlaps count once).
        public var downtimeSeconds: TimeInterval
        /// 1 − downtime ÷ the period's length (up to now, for the current period).
        public var ratio: Double
    }

    public var byPriority: [PriorityCount]
    public var compliance: [ReportFigures.Compliance]
    public var timeToRespond: ReportFigures.MeanTime
    public var timeToResolve: ReportFigures.MeanTime
    public var availability: [Availability]
    /// The seconds availability is measured over: the period, or its part up to now.
    public var measuredSeconds: TimeInterval
}

extension OperatingReport {
    /// The customer report of `period` over the report's tickets (filter the report to one organisation).
    /// It needs the tickets' facts: a report made from totals gives no availability and no counts per priority.
    public func customerReport(for period: ReportPeriod) -> CustomerReport {
        let figures = figures(for: period)
        let facts = factsCounting?.facts ?? []
        let byPriority = Priority.allCases.compactMap { priority -> CustomerReport.PriorityCount? in
            let opened = facts.filter { $0.priority == priority && period.contains($0.createdAt) }.count
            let resolved = facts.filter { $0.priority == priority && ($0.resolvedAt.map(period.contains) ?? false) }
                .count
            return opened + resolved > 0
                ? CustomerReport.PriorityCount(priority: priority, opened: opened, resolved: resolved) : nil
        }
        let end = min(period.end, now)
        let measured = max(0, end.timeIntervalSince(period.start))
        var outages: [UUID?: [(start: Date, end: Date)]] = [:]
        // A Sev1 ticket is an outage while it is open: from becoming Sev1 to each resolution (a reopening
        // opens a new stretch; the time it stood resolved is not downtime).
        var tickets: [UUID?: Int] = [:]
        for facts in facts {
            guard let since = facts.sev1Since else { continue }
            var counted = false
            for span in facts.openSpans {
                let from = max(since, span.start, period.start)
                let until = min(span.end ?? end, end)
                guard from < until else { continue }
                outages[facts.serviceID, default: []].append((from, until))
                if !counted { tickets[facts.serviceID, default: 0] += 1 }
                counted = true
            }
        }
        let availability =
            outages.map { service, spans -> CustomerReport.Availability in
                let downtime = Self.union(spans)
                return CustomerReport.Availability(
                    serviceID: service,
                    sev1Tickets: tickets[service] ?? 0,
                    downtimeSeconds: downtime,
                    ratio: measured > 0 ? max(0, 1 - downtime / measured) : 1
                )
            }
            .sorted { ($0.ratio, $0.serviceID?.uuidString ?? "") < ($1.ratio, $1.serviceID?.uuidString ?? "") }
        return CustomerReport(
            byPriority: byPriority,
            compliance: figures.compliance,
            timeToRespond: figures.timeToRespond,
            timeToResolve: figures.timeToResolve,
            availability: availability,
            measuredSeconds: measured
        )
    }

    /// The length of the union of `spans`: overlapping stretches count once.
    static func union(_ spans: [(start: Date, end: Date)]) -> TimeInterval {
        TimeInterval(
            TimeOffInLieu.merged(spans.map { $0.start..<$0.end }, in: Date.distantPast..<Date.distantFuture)
                .reduce(0) { $0 + $1.upperBound.timeIntervalSince($1.lowerBound) }
        )
    }
}
