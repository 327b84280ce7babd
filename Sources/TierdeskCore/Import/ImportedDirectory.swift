import Foundation

/// An organisation as another desk knows it.
public struct ImportedOrganisation: Sendable, Equatable {
    /// The other desk's id, unique within its kind.
    public var sourceID: String
    public var name: String
    /// Whether its people see each other's tickets; desks that do not say (RT, CSV files) get private ones.
    public var sharesTickets: Bool
    public var createdAt: Date?

    public init(sourceID: String, name: String, sharesTickets: Bool = false, createdAt: Date? = nil) {
        self.sourceID = sourceID
        self.name = name
        self.sharesTickets = sharesTickets
        self.createdAt = createdAt
    }
}

/// A person as another desk knows them: a requester, or staff who work tickets.
public struct ImportedPerson: Sendable, Equatable {
    public var sourceID: String
    /// Nil or implausible addresses get a stand-in under `.invalid` (see ``ImportConversion/email(for:source:)``).
    public var email: String?
    public var name: String
    public var isStaff: Bool
    /// The organisation's source id, or for desks without organisations (Request Tracker) its name.
    public var organisation: String?
    public var active: Bool
    public var createdAt: Date?

    public init(
        sourceID: String,
        email: String?,
        name: String,
        isStaff: Bool,
        organisation: String? = nil,
        active: Bool = true,
        createdAt: Date? = nil
    ) {
        self.sourceID = sourceID
        self.email = email
        self.name = name
        self.isStaff = isStaff
        self.organisation = organisation
        self.active = active
        self.createdAt = createdAt
    }
}

/// A queue or group of another desk; it becomes a support group of the same name.
public struct ImportedQueue: Sendable, Equatable {
    public var sourceID: String
    public var name: String

    public init(sourceID: String, name: String) {
        self.sourceID = sourceID
        self.name = name
    }
}
