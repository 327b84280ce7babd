import Foundation

/// What a report counts over one period: the totals of each entry key (``ReportEntry``) and the data
/// corrections made in it (judged against the people who may write data when the report is made): how many
/// tickets had one, and the list of them where the report shows it.
public struct ReportTally: Sendable, Equatable {
    /// Tickets with a data correction in the period, and those with one by someone who may not write data.
    public struct CorrectionCounts: Sendable, Equatable {
        public var tickets: Int
        public var unprivilegedTickets: Int
        /// The corrections each person made (nil: nobody recorded); empty for the earlier periods of a trend
        /// read from a store, whose figures are not shown.
        public var byPerson: [UUID?: Int]

        public init(tickets: Int = 0, unprivilegedTickets: Int = 0, byPerson: [UUID?: Int] = [:]) {
            self.tickets = tickets
            self.unprivilegedTickets = unprivilegedTickets
            self.byPerson = byPerson
        }

        /// Counts `corrections`, judged against `correctors`.
        public init(_ corrections: [Correction], correctors: Set<UUID>) {
            tickets = Set(corrections.map(\.ticketID)).count
            unprivilegedTickets =
                Set(
                    corrections.filter { !($0.actorID.map(correctors.contains) ?? false) }.map(\.ticketID)
                )
                .count
            byPerson = corrections.reduce(into: [:]) { $0[$1.actorID, default: 0] += 1 }
        }
    }

    /// One data correction: which ticket, when, by whom and why.
    public struct Correction: Sendable, Equatable {
        public var ticketID: UUID
        public var ticketNumber: Int
        /// Its place among the ticket's corrections, 0 for the first: tells apart two made at one instant.
        public var ordinal: Int
        public var at: Date
        public var actorID: UUID?
        public var reason: String

        public init(ticketID: UUID, ticketNumber: Int, ordinal: Int, at: Date, actorID: UUID?, reason: String) {
            self.ticketID = ticketID
            self.ticketNumber = ticketNumber
            self.ordinal = ordinal
            self.at = at
            self.actorID = actorID
            self.reason = reason
        }

        /// Its place in the audit list.
        public var cursor: CorrectionCursor {
            CorrectionCursor(at: at, ticketNumber: ticketNumber, ordinal: ordinal)
        }
    }

    public var totals: [String: ReportTotals]
    public var correctionCounts: CorrectionCounts
    /// In the audit list's order (``CorrectionCursor``); empty where the report does not list them (read
    /// from a store).
    public var corrections: [Correction]

    public init(
        totals: [String: ReportTotals] = [:],
        correctionCounts: CorrectionCounts = CorrectionCounts(),
        corrections: [Correction] = []
    ) {
        self.totals = totals.filter { !$0.value.isEmpty }
        self.correctionCounts = correctionCounts
        self.corrections = corrections.sorted { $0.cursor < $1.cursor }
    }

    /// The totals of `key`.
    public subscript(_ key: String) -> ReportTotals { totals[key] ?? ReportTotals() }

    /// Tickets counted under `key`.
    public func tickets(_ key: String) -> Int { totals[key]?.tickets ?? 0 }
}

/// Where a report's numbers come from: the totals of any period it asks for, and the open tickets of any
/// instant. ``FactsCounting`` counts tickets' facts; a store can add up totals it keeps per day.
public protocol ReportCounting: Sendable {
    /// The totals of `period`.
    func tally(_ period: ReportPeriod) -> ReportTally
    /// The tickets open at `instant`, by the tier that held each then: how many per age bucket
    /// (``ReportFigures/ageLimits``).
    func backlog(at instant: Date) -> [Tier: [Int]]
}

/// Counts tickets' facts directly.
public struct FactsCounting: ReportCounting {
    let facts: [TicketFacts]
    let entries: [[ReportEntry]]
    let correctors: Set<UUID>

    /// - Parameters:
    ///   - facts: the tickets' facts, already filtered.
    ///   - now: the instant the report is made at.
    ///   - knownErrorsCreated: when each Known Error Database article was written.
    ///   - correctors: the people who may write data.
    public init(facts: [TicketFacts], now: Date, knownErrorsCreated: [UUID: Date], correctors: Set<UUID>) {
        self.facts = facts
        self.correctors = correctors
        entries = facts.map { $0.entries(now: now, knownErrorsCreated: knownErrorsCreated, zone: nil) }
    }

    public func tally(_ period: ReportPeriod) -> ReportTally {
        var totals: [String: ReportTotals] = [:]
        for list in entries {
            for entry in list where entry.counts(from: period.start, until: period.end) {
                totals[entry.key, default: ReportTotals()].add(entry)
            }
        }
        // Hours of the day count in the period's own time zone.
        for facts in facts where period.contains(facts.createdAt) {
            let hour = TicketFacts.localHour(of: facts.createdAt, in: period.timeZone)
            totals[ReportKey.openedAtHour(hour), default: ReportTotals()].tickets += 1
        }
        let corrections = facts.flatMap { facts in
            facts.corrections.enumerated().filter { period.contains($1.at) }
                .map { ordinal, correction in
                    ReportTally.Correction(
                        ticketID: facts.ticketID,
                        ticketNumber: facts.number,
                        ordinal: ordinal,
                        at: correction.at,
                        actorID: correction.actorID,
                        reason: correction.reason
                    )
                }
        }
        return ReportTally(
            totals: totals,
            correctionCounts: ReportTally.CorrectionCounts(corrections, correctors: correctors),
            corrections: corrections
        )
    }

    public func backlog(at instant: Date) -> [Tier: [Int]] {
        var open: [Tier: [Int]] = [:]
        for facts in self.facts {
            for segment in facts.backlogSegments
            where segment.start <= instant && (segment.end.map { instant < $0 } ?? true) {
                open[segment.tier, default: Array(repeating: 0, count: ReportFigures.ageLimits.count)][
                    ReportFigures.ageBucket(instant.timeIntervalSince(facts.createdAt))
                ] += 1
            }
        }
        return open
    }

    /// The tickets an entry key counts in `period`.
    func tickets(withKey keys: Set<String>, in period: ReportPeriod) -> [TicketFacts] {
        zip(facts, entries)
            .filter { _, entries in
                entries.contains { keys.contains($0.key) && $0.counts(from: period.start, until: period.end) }
            }
            .map(\.0)
    }
}
