import Foundation

/// The operating model's numbers: the checklist and the figures of any period, and the tickets behind each
/// number. Every number is read from a ``ReportCounting``: the tickets' facts themselves, or totals a store
/// keeps equal to them. Pure: the same counts and instant give the same report.
public struct OperatingReport: Sendable {
    /// The longest a Sev1 may wait for its response.
    public static let sev1ResponseLimit: TimeInterval = 15 * 60
    /// How many periods a trend shows, this one included.
    public static let trendLength = 12

    let counting: any ReportCounting
    /// The tickets themselves, when the report was made from their facts: drill-downs and the customer
    /// report list them.
    let factsCounting: FactsCounting?
    let now: Date
    let knownErrorsCreated: [UUID: Date]
    let correctors: Set<UUID>
    let onCallCoverage: [Date: Double]

    /// A report over tickets' facts.
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
        let counting = FactsCounting(
            facts: facts.filter(filter.matches),
            now: now,
            knownErrorsCreated: knownErrorsCreated,
            correctors: correctors
        )
        self.counting = counting
        factsCounting = counting
        self.now = now
        self.knownErrorsCreated = knownErrorsCreated
        self.correctors = correctors
        self.onCallCoverage = onCallCoverage
    }

    /// A report over totals counted elsewhere (e.g. kept by a store), already filtered. It lists no tickets.
    public init(
        counting: any ReportCounting,
        now: Date,
        knownErrorsCreated: [UUID: Date] = [:],
        correctors: Set<UUID> = [],
        onCallCoverage: [Date: Double] = [:]
    ) {
        self.counting = counting
        factsCounting = nil
        self.now = now
        self.knownErrorsCreated = knownErrorsCreated
        self.correctors = correctors
        self.onCallCoverage = onCallCoverage
    }

    /// Whether the report can list the tickets behind its numbers (it was made from their facts).
    public var listsTickets: Bool { factsCounting != nil }

    /// The tickets behind a figure of `period`, newest first; none when the report was made from totals.
    public func tickets(_ slice: ReportSlice, in period: ReportPeriod) -> [TicketFacts] {
        guard let counting = factsCounting else { return [] }
        let listed: [TicketFacts]
        switch slice {
        case .corrected, .correctedWithoutPrivilege:
            let ids = correctedTickets(slice, in: counting.tally(period))
            listed = counting.facts.filter { ids.contains($0.ticketID) }
        case .backlog, .backlogAt:
            let instant = backlogInstant(period)
            listed = counting.facts.filter { facts in
                facts.backlogSegments.contains {
                    $0.start <= instant && ($0.end.map { instant < $0 } ?? true)
                        && (slice == .backlog || slice == .backlogAt($0.tier))
                }
            }
        default:
            listed = counting.tickets(withKey: Set(Self.keys(of: slice)), in: period)
        }
        return listed.sorted { $0.number > $1.number }
    }

    /// How many tickets are behind a figure of `period`.
    public func count(_ slice: ReportSlice, in period: ReportPeriod) -> Int {
        count(slice, in: period, tally: counting.tally(period))
    }

    /// How many tickets are behind a figure of `period`, from the period's tally.
    func count(_ slice: ReportSlice, in period: ReportPeriod, tally: ReportTally) -> Int {
        switch slice {
        case .corrected:
            return tally.correctionCounts.tickets
        case .correctedWithoutPrivilege:
            return tally.correctionCounts.unprivilegedTickets
        case .backlog:
            return counting.backlog(at: backlogInstant(period)).values.reduce(0) { $0 + $1.reduce(0, +) }
        case .backlogAt(let tier):
            return counting.backlog(at: backlogInstant(period))[tier]?.reduce(0, +) ?? 0
        default:
            return Self.keys(of: slice).reduce(0) { $0 + tally.tickets($1) }
        }
    }

    /// The audit list of the data corrections made in `period`, in its order (``CorrectionCursor``); empty
    /// when the report was made from totals.
    public func corrections(in period: ReportPeriod) -> [ReportTally.Correction] {
        factsCounting?.tally(period).corrections ?? []
    }

    /// The tickets with a data correction in the tally (by someone without the privilege, for
    /// ``ReportSlice/correctedWithoutPrivilege``).
    func correctedTickets(_ slice: ReportSlice, in tally: ReportTally) -> Set<UUID> {
        let unprivileged = slice == .correctedWithoutPrivilege
        return Set(
            tally.corrections.filter { !unprivileged || !($0.actorID.map(correctors.contains) ?? false) }
                .map(\.ticketID)
        )
    }

    /// The entry keys a slice adds up (see ``ReportEntry``), of the tickets now at `priority` alone for an
    /// SLA clock's slice (whose keys carry it); corrections and the backlog have none.
    public static func keys(of slice: ReportSlice, priority: Priority? = nil) -> [String] {
        switch slice {
        case .clock(let kind, let state):
            return (priority.map { [$0] } ?? Priority.allCases).map { ReportKey.clock(kind, state, $0) }
        case .corrected, .correctedWithoutPrivilege, .backlog, .backlogAt:
            return []
        default:
            return [slice.name]
        }
    }

    /// Every entry key a list of tickets is made from: those a store keeps per ticket and day to list the
    /// tickets behind a number without recomputing them.
    public static let listedKeys = Set(ReportSlice.all.flatMap { keys(of: $0) })

    /// The instant the backlog of `period` is taken at: its end, or now if that is sooner.
    public func backlogInstant(_ period: ReportPeriod) -> Date { min(period.end, now) }
}
