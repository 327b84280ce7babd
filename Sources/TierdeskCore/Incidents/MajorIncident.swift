import Foundation

/// A major incident: one disruption of one or more services, with the tickets and alerts it covers, the
/// people who lead it and tell the world about it, and the updates it owes its subscribers at a kept cadence.
public struct MajorIncident: Sendable, Equatable, Identifiable {
    /// Where the incident stands, as the status page says it.
    public enum State: String, StringEnum, Sendable {
        /// Impact is known, the cause is not.
        case investigating
        /// The cause is known and a fix or workaround is under way.
        case identified
        /// A fix is in place and being watched.
        case monitoring
        /// Service is restored; the review may still be open.
        case resolved
        /// Over, with its review written where one is required.
        case closed

        /// Whether updates are still owed.
        public var isActive: Bool { self != .resolved && self != .closed }
    }

    /// How it was declared.
    public enum Origin: String, StringEnum, Sendable {
        /// Someone declared it by hand.
        case manual
        /// A ticket became Sev1.
        case sev1Ticket
        /// Several tickets on one service within a few minutes.
        case ticketBurst
    }

    public var id: UUID
    /// Its number, shown as ``reference``.
    public var number: Int
    /// The title staff see; may name customers and tickets.
    public var title: String
    /// The title the status page, subscribers and customers see.
    public var publicTitle: String
    public var severity: Severity
    public var state: State
    public var origin: Origin
    public var serviceIDs: [UUID]
    public var organisationIDs: [UUID]
    /// Runs the response.
    public var leadID: UUID?
    /// Writes the updates; reminded before each is due and paged when one is missed.
    public var commsLeadID: UUID?
    public var declaredAt: Date
    public var declaredBy: UUID?
    /// When the next update is owed; nil once resolved.
    public var nextUpdateDue: Date?
    /// The deadline whose reminder was sent, so each deadline is reminded once.
    public var remindedFor: Date?
    /// The deadline whose miss was recorded and paged, so each miss counts once.
    public var missedFor: Date?
    /// How many update deadlines were missed.
    public var missedUpdates: Int
    public var resolvedAt: Date?
    public var closedAt: Date?
    public var version: Int

    public init(
        id: UUID = .timeOrdered(),
        number: Int,
        title: String,
        publicTitle: String,
        severity: Severity,
        state: State = .investigating,
        origin: Origin,
        serviceIDs: [UUID],
        organisationIDs: [UUID],
        leadID: UUID?,
        commsLeadID: UUID?,
        declaredAt: Date,
        declaredBy: UUID?,
        nextUpdateDue: Date?,
        remindedFor: Date? = nil,
        missedFor: Date? = nil,
        missedUpdates: Int = 0,
        resolvedAt: Date? = nil,
        closedAt: Date? = nil,
        version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.publicTitle = publicTitle
        self.severity = severity
        self.state = state
        self.origin = origin
        self.serviceIDs = serviceIDs
        self.organisationIDs = organisationIDs
        self.leadID = leadID
        self.commsLeadID = commsLeadID
        self.declaredAt = declaredAt
        self.declaredBy = declaredBy
        self.nextUpdateDue = nextUpdateDue
        self.remindedFor = remindedFor
        self.missedFor = missedFor
        self.missedUpdates = missedUpdates
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.version = version
    }

    /// `INC-12`.
    public var reference: String { Self.reference(number) }

    public static let prefix = "INC-"

    public static func reference(_ number: Int) -> String { prefix + String(number) }

    /// The number in a reference such as `INC-12` or `inc-12`.
    public static func number(in reference: String) -> Int? {
        TicketReference.number(in: reference.trimmingWhitespace(), prefix: prefix)
    }

    /// `1 h 10 min` or `40 min`.
    public static func durationText(_ seconds: TimeInterval) -> String {
        DurationText.minutes(Int(seconds / 60))
    }

    /// How long service was disrupted: from the declaration to the resolution (or `now`).
    public func duration(at now: Date) -> TimeInterval {
        (resolvedAt ?? now).timeIntervalSince(declaredAt)
    }
}
