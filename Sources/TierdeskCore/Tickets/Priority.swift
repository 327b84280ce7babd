/// Business impact or urgency of a ticket.
public enum Level: String, StringEnum, Sendable {
    case high, medium, low
}

/// Priority P1 (highest) to P5, computed from impact × urgency through the ``PriorityMatrix``.
public enum Priority: String, StringEnum, Sendable, Comparable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4", p5 = "P5"

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Operational severity: Sev1 production halted, Sev2 degraded, Sev3 standard.
public enum Severity: String, StringEnum, Sendable {
    case sev1 = "Sev1", sev2 = "Sev2", sev3 = "Sev3"

    /// The severity a priority implies unless a rule or an agent sets another: P1→Sev1, P2→Sev2, P3–P5→Sev3.
    public init(derivedFrom priority: Priority) {
        switch priority {
        case .p1: self = .sev1
        case .p2: self = .sev2
        case .p3, .p4, .p5: self = .sev3
        }
    }
}
