import Foundation

/// Someone covering a role for a while (a swap, a sick day): it wins over every rotation layer. Where
/// overrides overlap, the one made last wins.
public struct OnCallOverride: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var role: OnCallRole
    public var personID: UUID
    public var start: Date
    public var end: Date
    public var createdAt: Date

    public init(id: UUID = .timeOrdered(), role: OnCallRole, personID: UUID, start: Date, end: Date, createdAt: Date) {
        self.id = id
        self.role = role
        self.personID = personID
        self.start = start
        self.end = end
        self.createdAt = createdAt
    }

    /// Checks a new override; the range must be forward and at most a year long.
    public static func validate(start: Date, end: Date) throws(ValidationFailure) {
        if end <= start { throw ValidationFailure(field: "end", message: "must be after start") }
        if end.timeIntervalSince(start) > 366 * 86_400 {
            throw ValidationFailure(field: "end", message: "must be at most a year after start")
        }
    }
}
