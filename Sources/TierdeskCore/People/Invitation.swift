import Foundation

/// An invitation to set a password: a single-use link mailed to a new person, valid for ``lifetime``.
/// Only a hash of the link's secret is stored.
public struct Invitation: Sendable, Equatable {
    /// How long a link stays valid.
    public static let lifetime: TimeInterval = 72 * 3600

    public var id: UUID
    public var personID: UUID
    public var invitedBy: UUID
    public var createdAt: Date
    public var expiresAt: Date
    /// When the link was used; it cannot be used again.
    public var usedAt: Date?

    public init(id: UUID, personID: UUID, invitedBy: UUID, createdAt: Date, expiresAt: Date, usedAt: Date? = nil) {
        self.id = id
        self.personID = personID
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    /// A new invitation for `personID`, valid from `now` for ``lifetime``.
    public static func new(for personID: UUID, by inviter: UUID, at now: Date) -> Invitation {
        Invitation(
            id: UUID(),
            personID: personID,
            invitedBy: inviter,
            createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime)
        )
    }

    /// What a spent link says: used, or replaced by a newer invitation.
    public static let spentMessage =
        "This invitation link no longer works: it has been used already, or a newer one was sent. Log in with your password, or ask your administrator for a new link."

    /// Why the link cannot be used at `now`, in words for the person holding it; nil when it can.
    public func refusal(at now: Date) -> String? {
        if usedAt != nil { return Self.spentMessage }
        if now >= expiresAt { return "This invitation has expired. Ask your administrator for a new one." }
        return nil
    }
}
