/// The admin-editable table that turns impact × urgency into a priority.
public struct PriorityMatrix: Sendable, Equatable {
    /// One cell of the matrix.
    public struct Entry: Codable, Sendable, Equatable {
        public var impact: Level
        public var urgency: Level
        public var priority: Priority

        public init(impact: Level, urgency: Level, priority: Priority) {
            self.impact = impact
            self.urgency = urgency
            self.priority = priority
        }
    }

    private var cells: [Key: Priority]

    private struct Key: Hashable {
        var impact: Level
        var urgency: Level
    }

    /// The ITIL-style default: high × high is P1, low × low is P5.
    public static let standard = try! PriorityMatrix(entries: [
        .init(impact: .high, urgency: .high, priority: .p1),
        .init(impact: .high, urgency: .medium, priority: .p2),
        .init(impact: .medium, urgency: .high, priority: .p2),
        .init(impact: .high, urgency: .low, priority: .p3),
        .init(impact: .medium, urgency: .medium, priority: .p3),
        .init(impact: .low, urgency: .high, priority: .p3),
        .init(impact: .medium, urgency: .low, priority: .p4),
        .init(impact: .low, urgency: .medium, priority: .p4),
        .init(impact: .low, urgency: .low, priority: .p5),
    ])

    /// Builds a matrix; every impact × urgency pair must appear exactly once.
    public init(entries: [Entry]) throws(ValidationFailure) {
        var cells: [Key: Priority] = [:]
        for (index, entry) in entries.enumerated() {
            let key = Key(impact: entry.impact, urgency: entry.urgency)
            if cells[key] != nil {
                throw ValidationFailure(
                    field: "entries[\(index)]",
                    message: "impact \(entry.impact.rawValue) × urgency \(entry.urgency.rawValue) appears twice"
                )
            }
            cells[key] = entry.priority
        }
        for impact in Level.allCases {
            for urgency in Level.allCases where cells[Key(impact: impact, urgency: urgency)] == nil {
                throw ValidationFailure(
                    field: "entries",
                    message: "impact \(impact.rawValue) × urgency \(urgency.rawValue) is missing"
                )
            }
        }
        self.cells = cells
    }

    /// The priority for an impact and an urgency.
    public func priority(impact: Level, urgency: Level) -> Priority {
        cells[Key(impact: impact, urgency: urgency)]!
    }

    /// An impact and urgency that give `priority`, the pair closest to each other first (P3 is medium ×
    /// medium in the standard matrix); medium × medium when no cell gives it.
    public func levels(for priority: Priority) -> (impact: Level, urgency: Level) {
        func rank(_ level: Level) -> Int { level == .high ? 0 : level == .medium ? 1 : 2 }
        let pairs = Level.allCases.flatMap { impact in Level.allCases.map { (impact, $0) } }
            .filter { self.priority(impact: $0.0, urgency: $0.1) == priority }
            .sorted { abs(rank($0.0) - rank($0.1)) < abs(rank($1.0) - rank($1.1)) }
        return pairs.first ?? (.medium, .medium)
    }

    /// Brings a changed ticket's priority and severity up to date: the priority follows the matrix only
    /// when impact or urgency changed (so a priority set otherwise, such as a downgrade with a workaround,
    /// stays); the severity is `severity` when given, else derived again when the priority moved.
    public func rederive(_ next: inout Ticket, from before: Ticket, severity: Severity?) {
        if next.impact != before.impact || next.urgency != before.urgency {
            next.priority = priority(impact: next.impact, urgency: next.urgency)
        }
        if let severity {
            next.severity = severity
        } else if next.priority != before.priority {
            next.severity = Severity(derivedFrom: next.priority)
        }
    }

    /// All nine cells, impact-major, high first.
    public var entries: [Entry] {
        Level.allCases.flatMap { impact in
            Level.allCases.map { urgency in
                Entry(impact: impact, urgency: urgency, priority: priority(impact: impact, urgency: urgency))
            }
        }
    }
}
