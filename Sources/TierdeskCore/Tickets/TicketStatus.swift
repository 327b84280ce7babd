/// Where a ticket stands in its life cycle.
public enum TicketStatus: String, StringEnum, Sendable {
    case new
    case acknowledged
    case inProgress = "in_progress"
    case pendingCustomer = "pending_customer"
    case onHold = "on_hold"
    case resolved
    case closed

    /// Open tickets still need work from someone.
    public var isOpen: Bool { self != .resolved && self != .closed }

    /// Whether a ticket may move from this status to `next`.
    ///
    /// A closed ticket is final; a resolved ticket may be reopened (to in progress) or closed;
    /// every open status may move to any other status except back to `new`.
    public func canMove(to next: TicketStatus) -> Bool {
        guard next != self else { return false }
        switch self {
        case .closed: return false
        case .resolved: return next == .inProgress || next == .closed
        default: return next != .new
        }
    }
}
