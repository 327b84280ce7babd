import Foundation

/// A customer organisation whose people open tickets.
public struct Organisation: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    /// When true, every requester of the organisation sees all of its tickets, not only their own.
    public var sharesTickets: Bool
    public var createdAt: Date

    /// The built-in organisation of tickets whose requester belongs to none (staff opening internal tickets).
    public static let internalID = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!

    public init(id: UUID, name: String, sharesTickets: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.sharesTickets = sharesTickets
        self.createdAt = createdAt
    }
}

/// A vendor (L4) to whom tickets can be escalated.
public struct Vendor: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var createdAt: Date

    public init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
