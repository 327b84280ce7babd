import Foundation

/// An on-call schedule: a time zone, rotation layers for the primary and secondary roles, and overrides.
/// For each role an override wins; otherwise the last layer of that role with someone at that instant.
public struct OnCallSchedule: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var timeZone: TimeZone
    public var layers: [RotationLayer]
    /// Oldest first; a later override wins where two overlap.
    public var overrides: [OnCallOverride]

    public init(id: UUID, name: String, timeZone: TimeZone, layers: [RotationLayer], overrides: [OnCallOverride] = []) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.layers = layers
        self.overrides = overrides
    }

    /// Who holds a role at an instant, if anyone.
    public func onCall(_ role: OnCallRole, at instant: Date) -> UUID? {
        for override in overrides.reversed()
        where override.role == role && override.start <= instant && instant < override.end {
            return override.personID
        }
        for layer in layers.reversed() where layer.role == role {
            if let member = layer.member(at: instant, in: timeZone) { return member }
        }
        return nil
    }

    /// The primary and secondary at an instant.
    public func onCall(at instant: Date) -> OnCallPair {
        OnCallPair(primary: onCall(.primary, at: instant), secondary: onCall(.secondary, at: instant))
    }

    /// The final shifts of a role in a range, after layers and overrides: each is one person for one
    /// uninterrupted stretch, cut to the range. Stretches with nobody are left out.
    public func shifts(_ role: OnCallRole, in range: Range<Date>) -> [OnCallShift] {
        segments(role, in: range)
            .compactMap { person, stretch in
                person.map { OnCallShift(role: role, personID: $0, start: stretch.lowerBound, end: stretch.upperBound) }
            }
    }

    /// Who holds a role for the longest time in a range (the week's operations owner, say); on a tie, who
    /// holds it first. Nil when nobody holds it at all.
    public func longestHolder(_ role: OnCallRole, in range: Range<Date>) -> UUID? {
        var held: [UUID: (seconds: TimeInterval, first: Date)] = [:]
        for shift in shifts(role, in: range) {
            let seconds = shift.end.timeIntervalSince(shift.start)
            held[shift.personID, default: (0, shift.start)].seconds += seconds
        }
        return held.max { ($0.value.seconds, $1.value.first) < ($1.value.seconds, $0.value.first) }?.key
    }

    /// The stretches of a range in which a role has nobody.
    public func gaps(_ role: OnCallRole, in range: Range<Date>) -> [CoverageGap] {
        segments(role, in: range)
            .compactMap { person, stretch in
                person == nil ? CoverageGap(role: role, start: stretch.lowerBound, end: stretch.upperBound) : nil
            }
    }

    /// Coverage of both roles over a range: the gaps and the share of time covered.
    public func coverage(in range: Range<Date>) -> ScheduleCoverage {
        let gaps = gaps(.primary, in: range) + gaps(.secondary, in: range)
        return ScheduleCoverage(
            range: range,
            gaps: gaps.sorted { ($0.start, $0.role.rawValue) < ($1.start, $1.role.rawValue) }
        )
    }

    /// The range cut where the role's holder may change, each stretch with its holder, neighbours merged.
    private func segments(_ role: OnCallRole, in range: Range<Date>) -> [(UUID?, Range<Date>)] {
        guard !range.isEmpty else { return [] }
        var cuts = Set<Date>([range.lowerBound, range.upperBound])
        for layer in layers where layer.role == role {
            cuts.formUnion(layer.changes(in: range, zone: timeZone))
        }
        for override in overrides where override.role == role {
            for edge in [override.start, override.end] where range.contains(edge) { cuts.insert(edge) }
        }
        let sorted = cuts.sorted()
        var result: [(UUID?, Range<Date>)] = []
        for (start, end) in zip(sorted, sorted.dropFirst()) {
            let person = onCall(role, at: start)
            if let last = result.last, last.0 == person {
                result[result.count - 1].1 = last.1.lowerBound..<end
            } else {
                result.append((person, start..<end))
            }
        }
        return result
    }
}

/// Who is on call at one instant.
public struct OnCallPair: Sendable, Equatable {
    public var primary: UUID?
    public var secondary: UUID?

    public init(primary: UUID?, secondary: UUID?) {
        self.primary = primary
        self.secondary = secondary
    }
}

/// One person holding one role for one stretch.
public struct OnCallShift: Sendable, Equatable {
    public var role: OnCallRole
    public var personID: UUID
    public var start: Date
    public var end: Date

    public init(role: OnCallRole, personID: UUID, start: Date, end: Date) {
        self.role = role
        self.personID = personID
        self.start = start
        self.end = end
    }
}
