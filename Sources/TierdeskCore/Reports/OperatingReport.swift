import Foundation

/// The operating model's numbers over a set of tickets' facts: the checklist and the figures of any period,
/// and the tickets behind each number. Pure: the same facts and instant give the same report.
public struct OperatingReport: Sendable {
    /// The longest a Sev1 may wait for its response.
    public static let sev1ResponseLimit: TimeInterval = 15 * 60
    /// How many periods a trend shows, this one included.
    public static let trendLength = 12

    let facts: [TicketFacts]
    let now: Date
    let knownErrorsCreated: [UUID: Date]
    let correctors: Set<UUID>
    let onCallCoverage: [Date: Double]

    /// - Parameters:
    ///   - facts: the tickets' facts; those the filter does not match are left out.
    ///   - now: the instant the report is made at (running clocks and the current backlog are read here).
    ///   - knownErrorsCreated: when each Known Error Database article was written.
    ///   - correctors: the people who may write data (L2, L3, admins).
    ///   - onCallCoverage: the on-call coverage ratio of each period, keyed by the period's start.
    public init(
        facts: [TicketFacts],
        filter: ReportFilter = ReportFilter(),
        now: Date,
        knownErrorsCreated: [UUID: Date] = [:],
        correctors: Set<UUID> = [],
        onCallCoverage: [Date: Double] = [:]
    ) {
        self.facts = facts.filter(filter.matches)
        self.now = now
        self.knownErrorsCreated = knownErrorsCreated
        self.correctors = correctors
        self.onCallCoverage = onCallCoverage
    }

    /// The tickets behind a figure of `period`, newest first.
    public func tickets(_ slice: ReportSlice, in period: ReportPeriod) -> [TicketFacts] {
        let test = predicate(slice, period)
        return facts.filter(test).sorted { $0.number > $1.number }
    }

    /// How many tickets are behind a figure of `period`.
    public func count(_ slice: ReportSlice, in period: ReportPeriod) -> Int {
        let test = predicate(slice, period)
        return facts.reduce(0) { test($1) ? $0 + 1 : $0 }
    }

    /// The instant the backlog of `period` is taken at: its end, or now if that is sooner.
    public func backlogInstant(_ period: ReportPeriod) -> Date { min(period.end, now) }

    func predicate(_ slice: ReportSlice, _ period: ReportPeriod) -> (TicketFacts) -> Bool {
        let start = period.start
        let end = period.end
        let inPeriod = { (instant: Date) in instant >= start && instant < end }
        let resolved = { (facts: TicketFacts) in facts.resolvedAt.map(inPeriod) ?? false }
        let opened = { (facts: TicketFacts) in inPeriod(facts.createdAt) }
        let limit = Self.sev1ResponseLimit
        let now = now
        switch slice {
        case .opened:
            return opened
        case .resolved:
            return resolved
        case .resolvedAt(let tier):
            return { resolved($0) && $0.resolvedTier == tier }
        case .resolvedAfterEscalationAt(let tier):
            return { resolved($0) && $0.resolvedTier == tier && $0.everEscalated }
        case .firstContact:
            return { resolved($0) && $0.firstContactResolution }
        case .escalatedDespiteKnownError:
            return { $0.escalations.contains { inPeriod($0.at) && $0.from == .l1 && $0.afterKnownErrorAtL1 } }
        case .resolvedFromKnownErrorAtL1:
            return { resolved($0) && $0.resolvedTier == .l1 && $0.resolvedFromKnownErrorAtL1 }
        case .escalatedToL3:
            return { $0.escalations.contains { inPeriod($0.at) && $0.from == .l2 && $0.to == .l3 } }
        case .escalatedToL3WithoutEvidence:
            return {
                $0.escalations.contains {
                    inPeriod($0.at) && $0.from == .l2 && $0.to == .l3 && !$0.carriesStepsAndLogs
                }
            }
        case .escalatedToVendor:
            return { $0.escalations.contains { inPeriod($0.at) && $0.to == .l4 } }
        case .escalatedToVendorOutsideStandardProduct:
            return { $0.escalations.contains { inPeriod($0.at) && $0.to == .l4 && !$0.standardProductDefect } }
        case .sev1:
            return { $0.sev1Since.map(inPeriod) ?? false }
        case .sev1Late:
            return { facts in
                guard let since = facts.sev1Since, inPeriod(since) else { return false }
                let answered = facts.sev1AnsweredAt ?? now
                return answered.timeIntervalSince(since) > limit
            }
        case .confirmedFixes:
            return { resolved($0) && $0.resolution == .confirmedDefectFixed }
        case .confirmedFixesWithoutNewArticle:
            let created = knownErrorsCreated
            return { facts in
                guard resolved(facts), facts.resolution == .confirmedDefectFixed else { return false }
                guard let article = facts.knownErrorID, let written = created[article] else { return true }
                return written < facts.createdAt
            }
        case .corrected:
            return { $0.corrections.contains { inPeriod($0.at) } }
        case .correctedWithoutPrivilege:
            let correctors = correctors
            return { $0.corrections.contains { inPeriod($0.at) && !($0.actorID.map(correctors.contains) ?? false) } }
        case .reopened:
            return { resolved($0) && $0.reopens > 0 }
        case .clock(let kind, let state):
            return { opened($0) && $0.clocks.contains { $0.kind == kind && $0.state == state } }
        case .backlog:
            let instant = backlogInstant(period)
            return { $0.isOpen(at: instant) }
        case .backlogAt(let tier):
            let instant = backlogInstant(period)
            return { $0.isOpen(at: instant) && $0.tier(at: instant) == tier }
        case .channel(let channel):
            return { opened($0) && $0.channel == channel }
        case .shortNotice:
            return { opened($0) && $0.shortNotice }
        }
    }
}
