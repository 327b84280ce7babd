import Foundation

/// What Tierdesk knows about one alert key: its ticket, the episode it is in, and how often it fired.
public struct AlertState: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case firing, acknowledged, resolved
    }

    public var source: Integration.Kind
    public var key: String
    public var status: Status
    /// The ticket of the current or last episode.
    public var ticketNumber: Int?
    /// Whether that ticket is still open.
    public var ticketOpen: Bool
    /// When the current or last episode began at the source.
    public var startedAt: Date?
    /// When it was resolved (at the source, or on arrival).
    public var resolvedAt: Date?
    /// Signals received for the current ticket, the first included.
    public var count: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public var summary: String

    public init(
        source: Integration.Kind,
        key: String,
        status: Status,
        ticketNumber: Int?,
        ticketOpen: Bool,
        startedAt: Date?,
        resolvedAt: Date?,
        count: Int,
        firstSeen: Date,
        lastSeen: Date,
        summary: String
    ) {
        self.source = source
        self.key = key
        self.status = status
        self.ticketNumber = ticketNumber
        self.ticketOpen = ticketOpen
        self.startedAt = startedAt
        self.resolvedAt = resolvedAt
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.summary = summary
    }
}

/// What one signal does, decided from the signal and the key's state alone. Sources deliver at least
/// once and out of order, so repeats, late firings and early resolutions all have an answer.
public enum AlertDecision: Sendable, Equatable {
    /// Open a new ticket for the key.
    case open
    /// The alert fires again on its open ticket: count it.
    case repeated
    /// A resolved alert fires again while its ticket is still open (resolutions only annotated): count
    /// it and note it on the ticket.
    case refired
    /// Someone acknowledged the alert at the source: note it on the ticket.
    case acknowledge
    /// The alert is over: resolve or annotate its ticket, if still open.
    case resolve
    /// A resolution arrived before any firing: remember it, so the late firing opens nothing.
    case rememberResolved
    /// Nothing to do, for the reason given.
    case ignore(String)

    /// Episode times compare to the millisecond (see ``AlertSignal``); what the database returns may
    /// differ from what was stored in the last binary digits.
    private static func ms(_ date: Date) -> Int64 { AlertSignal.milliseconds(date) }

    public static func decide(_ signal: AlertSignal, state: AlertState?) -> AlertDecision {
        switch signal.action {
        case .trigger:
            guard let state else { return .open }
            if state.status == .resolved {
                if let started = signal.startedAt, let resolved = state.resolvedAt, ms(started) <= ms(resolved) {
                    return .ignore("a late firing of an episode resolved at \(Timestamp.format(resolved))")
                }
                return state.ticketOpen ? .refired : .open
            }
            if state.ticketOpen { return .repeated }
            // Someone resolved the ticket while the source still fires: the same episode only counts,
            // a new one gets a new ticket.
            if let started = signal.startedAt, let current = state.startedAt, ms(started) == ms(current) {
                return .repeated
            }
            return .open
        case .acknowledge:
            guard let state, state.status == .firing, state.ticketOpen else {
                return .ignore("no open ticket fires for this key")
            }
            return .acknowledge
        case .resolve:
            guard let state else { return .rememberResolved }
            if state.status == .resolved { return .ignore("already resolved") }
            if let started = signal.startedAt, let current = state.startedAt, ms(started) < ms(current) {
                return .ignore("the resolution of an earlier episode")
            }
            return .resolve
        }
    }
}
