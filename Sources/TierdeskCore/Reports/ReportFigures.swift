import Foundation

/// The figures of one period, beyond the checklist. Every count is the size of the ``ReportSlice`` named
/// next to it, so each drills down to its tickets.
public struct ReportFigures: Sendable, Equatable {
    /// Tickets resolved at a tier, and how many of those had been escalated on the way.
    public struct TierShare: Sendable, Equatable {
        public var tier: Tier
        public var resolved: Int
        public var afterEscalation: Int
        /// Share of all tickets resolved in the period, 0 to 1.
        public var share: Double?
    }

    /// The clocks of the tickets of a priority opened in the period.
    public struct Compliance: Sendable, Equatable {
        public var priority: Priority
        public var clock: SLAClockKind
        public var met: Int
        public var breached: Int
        public var running: Int
        public var paused: Int

        /// Met out of the finished clocks (met or breached), 0 to 1; nil while none has finished.
        public var metShare: Double? { met + breached > 0 ? Double(met) / Double(met + breached) : nil }
    }

    /// Breached clocks by the tier that held the ticket when the clock fell due.
    public struct Breaches: Sendable, Equatable {
        public var clock: SLAClockKind
        public var tier: Tier
        public var count: Int
    }

    /// Mean durations in wall-clock and business seconds; nil without tickets.
    public struct MeanTime: Sendable, Equatable {
        public var tickets: Int
        public var wallSeconds: Double?
        public var businessSeconds: Double?
    }

    /// Open tickets of a tier by age at the end of the period.
    public struct Backlog: Sendable, Equatable {
        public var tier: Tier
        /// Counts per ``ReportFigures/ageBuckets`` entry.
        public var byAge: [Int]
        public var total: Int { byAge.reduce(0, +) }
    }

    /// Inflow and outflow of one of the trailing periods.
    public struct Flow: Sendable, Equatable {
        public var period: String
        public var opened: Int
        public var resolved: Int
    }

    /// Tickets opened through a channel.
    public struct ChannelCount: Sendable, Equatable {
        public var channel: Channel
        public var count: Int
    }

    /// Data corrections of one person in the period.
    public struct Corrector: Sendable, Equatable {
        public var personID: UUID?
        public var corrections: Int
        /// Whether the person may write data today (L2, L3 or admin).
        public var privileged: Bool
    }

    /// Backlog ages: under a day, 1–3 days, 3–7 days, 7–30 days, 30 days or more.
    public static let ageBuckets = ["< 1 d", "1–3 d", "3–7 d", "7–30 d", "≥ 30 d"]
    /// The upper ends of the age buckets, in seconds.
    public static let ageLimits: [TimeInterval] = [86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400, .infinity]

    /// The index of the age bucket of a ticket open for `age` seconds.
    public static func ageBucket(_ age: TimeInterval) -> Int {
        ageLimits.firstIndex { age < $0 } ?? ageLimits.count - 1
    }

    public var opened: Int
    public var resolved: Int
    public var tiers: [TierShare]
    public var firstContact: Int
    public var escalatedDespiteKnownError: Int
    public var compliance: [Compliance]
    public var breaches: [Breaches]
    /// Creation to first response, over tickets opened in the period and answered.
    public var timeToRespond: MeanTime
    /// Creation to resolution (business time excludes paused time), over tickets resolved in the period.
    public var timeToResolve: MeanTime
    /// The instant the backlog is taken at: the end of the period, or the report's instant if sooner.
    public var backlogAt: Date
    public var backlog: [Backlog]
    public var flow: [Flow]
    /// Mean tier changes per ticket resolved in the period.
    public var handoffsPerTicket: Double?
    public var reopened: Int
    /// Requests opened with too little notice for their needed-by date.
    public var shortNotice: Int
    public var byChannel: [ChannelCount]
    /// Tickets opened per local hour of day (0–23) in the period's time zone.
    public var byHour: [Int]
    public var knownErrorsWritten: Int
    public var confirmedFixes: Int
    public var resolvedFromKnownErrorAtL1: Int
    public var toVendor: Int
    public var toVendorStandardProduct: Int
    public var correctors: [Corrector]
}
