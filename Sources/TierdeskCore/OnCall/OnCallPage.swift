import Foundation

/// A page: someone must react now. It walks its escalation policy step by step until a person
/// acknowledges it or it is resolved; either stops the chain at once.
public struct OnCallPage: Sendable, Equatable, Identifiable {
    public enum Status: String, StringEnum, Sendable {
        /// Walking its policy; nobody has acknowledged it yet.
        case triggered
        /// Someone took it; no further step is sent.
        case acknowledged
        /// Over (the ticket was resolved or someone resolved the page).
        case resolved
    }

    /// Why it started.
    public enum Origin: String, StringEnum, Sendable {
        /// A ticket became Sev1 or Sev2 (typed in, mailed, or opened by an alert).
        case severity
        /// Someone paged by hand.
        case manual
    }

    public var id: UUID
    public var ticketID: UUID?
    public var policyID: UUID
    public var title: String
    public var severity: Severity
    public var origin: Origin
    public var status: Status
    public var startedAt: Date
    public var startedBy: UUID?
    /// The index, counting repeats, of the next step to send.
    public var nextStep: Int
    /// When that step is due; nil once the chain has run out or stopped.
    public var nextStepAt: Date?
    public var acknowledgedBy: UUID?
    public var acknowledgedAt: Date?
    public var resolvedAt: Date?
    /// Someone paged first, before the policy's steps (an incident's communications lead).
    public var personID: UUID?

    public init(
        id: UUID = .timeOrdered(),
        ticketID: UUID?,
        policyID: UUID,
        title: String,
        severity: Severity,
        origin: Origin,
        status: Status = .triggered,
        startedAt: Date,
        startedBy: UUID? = nil,
        nextStep: Int = 0,
        nextStepAt: Date?,
        acknowledgedBy: UUID? = nil,
        acknowledgedAt: Date? = nil,
        resolvedAt: Date? = nil,
        personID: UUID? = nil
    ) {
        self.id = id
        self.ticketID = ticketID
        self.policyID = policyID
        self.title = title
        self.severity = severity
        self.origin = origin
        self.status = status
        self.startedAt = startedAt
        self.startedBy = startedBy
        self.nextStep = nextStep
        self.nextStepAt = nextStepAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.personID = personID
    }

    /// Longest page title, in characters.
    public static let maxTitle = 200

    /// Whether a ticket write starts a page: the ticket is open, Sev1 or Sev2, and the write created it
    /// at that severity or raised it from Sev3. Moving between Sev1 and Sev2 starts nothing new.
    public static func startsPage(_ ticket: Ticket, events: [TicketEvent]) -> Bool {
        guard ticket.status.isOpen, ticket.severity != .sev3 else { return false }
        return events.contains { event in
            event.kind == .created
                || (event.kind == .fieldChanged && event.field == "severity" && event.before == Severity.sev3.rawValue)
        }
    }
}
