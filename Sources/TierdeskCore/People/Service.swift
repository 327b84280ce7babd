import Foundation

/// How a service is supported.
public enum SupportModel: String, StringEnum, Sendable {
    /// L1 → L2 → L3, customer-facing.
    case tiered
    /// L2 and L3 only; tickets start at L2.
    case `internal`
    /// One shared queue.
    case swarm

    /// The tier a new ticket for a service of this model starts on.
    public var entryTier: Tier {
        self == .internal ? .l2 : .l1
    }
}

/// An application that is supported, such as an MES or an ERP interface.
public struct Service: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var supportModel: SupportModel
    public var createdAt: Date

    public init(id: UUID, name: String, supportModel: SupportModel, createdAt: Date) {
        self.id = id
        self.name = name
        self.supportModel = supportModel
        self.createdAt = createdAt
    }
}
