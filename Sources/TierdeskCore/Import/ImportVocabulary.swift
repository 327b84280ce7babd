import Foundation

/// How another desk's statuses and priorities read in Tierdesk's words.
public struct ImportVocabulary: Sendable {
    /// Source status names (lower case) → Tierdesk statuses.
    public var statuses: [String: TicketStatus]
    /// The status of a name the table does not hold (reported as unmapped).
    public var unknownStatus: TicketStatus
    /// A source priority → a Tierdesk priority; nil when it cannot be read (reported, and P3 is used).
    public var priority: @Sendable (String) -> Priority?

    public init(
        statuses: [String: TicketStatus],
        unknownStatus: TicketStatus = .inProgress,
        priority: @escaping @Sendable (String) -> Priority?
    ) {
        self.statuses = statuses
        self.unknownStatus = unknownStatus
        self.priority = priority
    }

    /// The status a source name maps to, and whether the table knew it.
    public func status(_ name: String) -> (TicketStatus, known: Bool) {
        if let status = statuses[name.trimmingWhitespace().lowercased()] { return (status, true) }
        return (unknownStatus, false)
    }

    /// Request Tracker's default life cycle; priorities are numbers (RT 5 names 0 Low, 50 Medium,
    /// 100 High): 80 and above is P2, 40–79 P3, below 40 P4. P1 (production halted, Sev 1) is a judgement
    /// RT does not record, so no imported ticket gets it.
    public static let requestTracker = ImportVocabulary(
        statuses: [
            "new": .new, "open": .inProgress, "stalled": .onHold, "resolved": .resolved, "rejected": .closed,
            "deleted": .closed,
        ],
        priority: { text in
            guard let number = Int(text.trimmingWhitespace()) else { return nil }
            return number >= 80 ? .p2 : number >= 40 ? .p3 : .p4
        }
    )

    /// Zammad's default states and priorities (`1 low`, `2 normal`, `3 high`).
    public static let zammad = ImportVocabulary(
        statuses: [
            "new": .new, "open": .inProgress, "pending reminder": .onHold, "pending close": .pendingCustomer,
            "closed": .closed, "merged": .closed, "removed": .closed,
        ],
        priority: { text in
            switch text.trimmingWhitespace().lowercased() {
            case "1 low", "low": .p4
            case "2 normal", "normal": .p3
            case "3 high", "high": .p2
            default: nil
            }
        }
    )

    /// CSV files name Tierdesk's own statuses (`new`, `in_progress`, …, or `open`) and priorities (`P1`–`P5`).
    public static let csv = ImportVocabulary(
        statuses: Dictionary(uniqueKeysWithValues: TicketStatus.allCases.map { ($0.rawValue, $0) })
            .merging(
                ["open": .inProgress, "pending": .pendingCustomer, "in progress": .inProgress],
                uniquingKeysWith: { first, _ in first }
            ),
        priority: { text in Priority(rawValue: text.trimmingWhitespace().uppercased()) }
    )
}
