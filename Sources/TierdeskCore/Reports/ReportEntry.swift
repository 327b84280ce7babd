import Foundation

/// One thing a ticket adds to a report's numbers: under a key (a ``ReportSlice`` name, or a part of one
/// such as a clock's state at one priority), at an instant. A ticket counts once for a key in a period
/// when one of its entries with that key falls in the period; an entry whose ``previous`` (the same key's
/// entry before it, for keys a ticket can earn more than once, such as escalations) falls in the period too
/// adds nothing. Entries carry a value to add up (milliseconds for durations, a count for hand-offs), so
/// every number of the checklist and the figures is a sum over entries, and the sums of whole days can be
/// kept instead of the tickets.
public struct ReportEntry: Sendable, Equatable, Codable {
    public var key: String
    public var at: Date
    /// The same key's entry before this one, for keys a ticket can earn more than once.
    public var previous: Date?
    /// What the entry adds up: milliseconds of a duration, or a count.
    public var value: Int64
    /// Business milliseconds of a duration, when its calendar counts them.
    public var business: Int64?

    public init(key: String, at: Date, previous: Date? = nil, value: Int64 = 0, business: Int64? = nil) {
        self.key = key
        self.at = at
        self.previous = previous
        self.value = value
        self.business = business
    }

    /// Whether the entry counts in the stretch `[start, end)`: it falls in it and its previous one does not.
    public func counts(from start: Date, until end: Date) -> Bool {
        at >= start && at < end && (previous.map { $0 < start } ?? true)
    }

    /// Milliseconds of `seconds`, rounded to the nearest, as the report's sums keep them.
    public static func milliseconds(_ seconds: TimeInterval) -> Int64 {
        Int64((seconds * 1000).rounded())
    }
}

/// The keys of ``ReportEntry`` beyond the slices' own names.
public enum ReportKey {
    /// Opened in the period, with the clock `kind` in `state`, at `priority`.
    public static func clock(_ kind: SLAClockKind, _ state: TicketClock.State, _ priority: Priority) -> String {
        "clock:\(kind.rawValue):\(state.rawValue):\(priority.rawValue)"
    }

    /// Opened in the period, with the clock `kind` breached while `tier` held the ticket.
    public static func breach(_ kind: SLAClockKind, _ tier: Tier) -> String {
        "breach:\(kind.rawValue):\(tier.rawValue)"
    }

    /// Opened in the period at a local hour of the day (0–23).
    public static func openedAtHour(_ hour: Int) -> String { "opened-hour:\(hour)" }

    /// Opened in the period and answered: the value is the wall time to the response.
    public static let responded = "responded"
    /// Resolved in the period: the value is the wall time from creation to resolution.
    public static let resolutionTime = "resolution-time"
    /// Resolved in the period: the value is its number of tier changes.
    public static let handoffs = "handoffs"
    /// Became Sev1 in the period and still waits for its response, inside its 15 minutes.
    public static let sev1Waiting = "sev1:waiting"
}

/// What the entries of one key add up to over a period.
public struct ReportTotals: Sendable, Equatable {
    /// Tickets counted.
    public var tickets: Int
    /// Their values added up.
    public var value: Int64
    /// Their business values added up, and how many had one.
    public var business: Int64
    public var businessTickets: Int

    public init(tickets: Int = 0, value: Int64 = 0, business: Int64 = 0, businessTickets: Int = 0) {
        self.tickets = tickets
        self.value = value
        self.business = business
        self.businessTickets = businessTickets
    }

    /// Adds one entry.
    public mutating func add(_ entry: ReportEntry) {
        tickets += 1
        value += entry.value
        if let business = entry.business {
            self.business += business
            businessTickets += 1
        }
    }

    /// Adds other totals (`sign` -1 takes them away).
    public mutating func add(_ other: ReportTotals, sign: Int64 = 1) {
        tickets += Int(sign) * other.tickets
        value += sign * other.value
        business += sign * other.business
        businessTickets += Int(sign) * other.businessTickets
    }

    /// Whether nothing was counted.
    public var isEmpty: Bool { tickets == 0 && value == 0 && business == 0 && businessTickets == 0 }
}
