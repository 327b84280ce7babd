import Foundation

/// The principal on whose behalf a request runs: who they are and what roles they hold.
public struct Actor: Sendable, Equatable {
    public var personID: UUID
    public var roles: Set<Role>
    public var tier: Tier?
    public var organisationID: UUID?
    public var vendorID: UUID?

    public init(personID: UUID, roles: Set<Role>, tier: Tier? = nil, organisationID: UUID? = nil, vendorID: UUID? = nil)
    {
        self.personID = personID
        self.roles = roles
        self.tier = tier
        self.organisationID = organisationID
        self.vendorID = vendorID
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// Staff work tickets of every organisation: agents, managers and admins.
    public var isStaff: Bool { has(.agent) || has(.manager) || has(.admin) }
}
