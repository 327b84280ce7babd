import Foundation

/// A stretch in which a role of a schedule has nobody on call.
public struct CoverageGap: Sendable, Equatable, Codable {
    public var role: OnCallRole
    public var start: Date
    public var end: Date

    public init(role: OnCallRole, start: Date, end: Date) {
        self.role = role
        self.start = start
        self.end = end
    }
}

/// How well a schedule covers a range: its gaps, and the share of role-time that has someone on call
/// (both roles count, so a missing secondary costs half as much as a missing pair).
public struct ScheduleCoverage: Sendable, Equatable, Codable {
    public var from: Date
    public var until: Date
    public var gaps: [CoverageGap]

    public init(range: Range<Date>, gaps: [CoverageGap]) {
        from = range.lowerBound
        until = range.upperBound
        self.gaps = gaps
    }

    /// The weeks checked ahead by default.
    public static let defaultWeeks = 8

    /// Role-seconds to cover: the range's length for each of the two roles.
    public var required: TimeInterval { 2 * until.timeIntervalSince(from) }

    /// Role-seconds without anyone.
    public var uncovered: TimeInterval { gaps.reduce(0) { $0 + $1.end.timeIntervalSince($1.start) } }

    /// Covered share, 0 to 1; a range of no length counts as covered.
    public var ratio: Double { required > 0 ? max(0, 1 - uncovered / required) : 1 }

    /// Several schedules' coverage of the roles each one staffs, weighted by the time each must cover: a
    /// rota with no secondary layer (an operations owner's week, say) is not missing a secondary. With no
    /// schedule at all nobody is on call: 0.
    public static func staffedRatio(_ schedules: [(schedule: OnCallSchedule, coverage: ScheduleCoverage)]) -> Double {
        guard !schedules.isEmpty else { return 0 }
        var required: TimeInterval = 0
        var uncovered: TimeInterval = 0
        for (schedule, coverage) in schedules {
            let roles = staffedRoles(of: schedule)
            required += Double(roles.count) * coverage.until.timeIntervalSince(coverage.from)
            uncovered += coverage.gaps.filter { roles.contains($0.role) }
                .reduce(0) { $0 + $1.end.timeIntervalSince($1.start) }
        }
        guard required > 0 else { return 1 }
        return max(0, 1 - uncovered / required)
    }

    /// The roles a schedule has layers for; both when it has none.
    public static func staffedRoles(of schedule: OnCallSchedule) -> Set<OnCallRole> {
        let roles = Set(schedule.layers.map(\.role))
        return roles.isEmpty ? [.primary, .secondary] : roles
    }

    /// Several schedules' coverage rolled into one figure, weighted by the time each must cover. With no
    /// schedule at all nobody is on call: 0.
    public static func combinedRatio(_ coverages: [ScheduleCoverage]) -> Double {
        guard !coverages.isEmpty else { return 0 }
        let required = coverages.reduce(0) { $0 + $1.required }
        guard required > 0 else { return 1 }
        return max(0, 1 - coverages.reduce(0) { $0 + $1.uncovered } / required)
    }
}
