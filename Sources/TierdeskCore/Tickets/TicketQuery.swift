import Foundation

/// Filters and paging for ticket lists.
public struct TicketQuery: Sendable, Equatable {
    /// Who owns the tickets to list.
    public enum Owner: Sendable, Equatable {
        case person(UUID)
        case nobody
    }

    public var statuses: [TicketStatus] = []
    public var tier: Tier?
    public var priority: Priority?
    public var owner: Owner?
    public var organisationID: UUID?
    public var serviceID: UUID?
    public var group: String?
    /// Search text (``TicketSearch``): a reference, an address, a name or words. A list with text is ranked,
    /// best first, and has no further pages.
    public var text: String?
    /// Only open tickets (every status but resolved and closed).
    public var openOnly = false
    public var limit = 50
    /// Continue after this ticket number (lists run newest first).
    public var beforeNumber: Int?
    /// Order by the next SLA deadline, soonest (and overdue) first, tickets without one last;
    /// continued after `afterDeadline`.
    public var byDeadline = false
    /// Where a list by deadline continues: after this ticket's place.
    public var afterDeadline: DeadlineCursor?
    /// Order by age, oldest first (the triage board); continued after `afterNumber`.
    public var oldestFirst = false
    /// Continue an oldest-first list after this ticket number.
    public var afterNumber: Int?
    /// Only tickets opened at or after this instant.
    public var createdFrom: Date?
    /// Only tickets opened before this instant.
    public var createdBefore: Date?

    public init() {}

    /// Most tickets a page may hold.
    public static let maxLimit = 200
    /// Longest free-text search.
    public static let maxTextLength = 200
}

/// A place in a list by deadline: the deadline (nil among the tickets without one, which come last) and
/// the number of the last ticket shown. Lists continue from it with an index seek, never an offset.
public struct DeadlineCursor: Sendable, Equatable {
    public var deadline: Date?
    public var number: Int

    public init(deadline: Date?, number: Int) {
        self.deadline = deadline
        self.number = number
    }

    /// The place of a ticket in the list.
    public init(after ticket: Ticket) {
        self.init(deadline: ticket.nextDeadline, number: ticket.number)
    }

    /// `d1790000000.5-1042` (the deadline in seconds since 1970) or `n1042` (among tickets without one).
    public var text: String {
        deadline.map { "d\($0.timeIntervalSince1970)-\(number)" } ?? "n\(number)"
    }

    /// Reads ``text``; nil for anything else.
    public init?(_ text: String) {
        guard text.count <= 64, let kind = text.first else { return nil }
        let rest = text.dropFirst()
        switch kind {
        case "n":
            guard let number = Int(rest), number > 0 else { return nil }
            self.init(deadline: nil, number: number)
        case "d":
            guard let dash = rest.lastIndex(of: "-"), let seconds = Double(rest[..<dash]), seconds.isFinite,
                let number = Int(rest[rest.index(after: dash)...]), number > 0
            else { return nil }
            self.init(deadline: Date(timeIntervalSince1970: seconds), number: number)
        default:
            return nil
        }
    }
}
