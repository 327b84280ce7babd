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
    /// Free text searched in title and description, case-insensitively.
    public var text: String?
    /// Only open tickets (every status but resolved and closed).
    public var openOnly = false
    public var limit = 50
    /// Continue after this ticket number (lists run newest first).
    public var beforeNumber: Int?
    /// Order by the next SLA deadline, soonest (and overdue) first, tickets without one last;
    /// paged with `offset` instead of `beforeNumber`.
    public var byDeadline = false
    /// Order by age, oldest first (the triage board); paged with `offset`.
    public var oldestFirst = false
    public var offset = 0
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
