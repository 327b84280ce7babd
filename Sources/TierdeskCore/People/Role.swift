/// A role a person holds. One person may hold several.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Opens and follows tickets for their organisation.
    case requester
    /// Works tickets on a tier (L1–L3).
    case agent
    /// A vendor's contact (L4): sees only tickets escalated to their vendor.
    case vendor
    /// Sees reports, reassigns work.
    case manager
    /// Configures Tierdesk.
    case admin
}

extension Role {
    /// Agents, managers and admins: the service desk's own people.
    public var isStaffRole: Bool { self == .agent || self == .manager || self == .admin }
}
