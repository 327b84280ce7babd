import Foundation

/// A queue with its filters, saved under a name by the person who uses it ("My P1s", "VPN this week").
public struct SavedView: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var personID: UUID
    public var name: String
    /// The queue's console address with its filters, such as `/console/queue?tier=L1&priority=P1`.
    public var address: String
    public var createdAt: Date

    public init(id: UUID, personID: UUID, name: String, address: String, createdAt: Date) {
        self.id = id
        self.personID = personID
        self.name = name
        self.address = address
        self.createdAt = createdAt
    }

    /// The most views one person keeps.
    public static let maxPerPerson = 30

    /// Checks a view as typed: a name of one line up to 60 characters, an address of a console queue.
    public static func validate(name: String, address: String) throws(ValidationFailure) {
        var errors: [FieldError] = []
        _ = TextLimits.line(name, field: "name", maxCharacters: 60, errors: &errors)
        let queue = address.hasPrefix("/console?") || address == "/console" || address.hasPrefix("/console/queue?")
        if !queue || address.count > 1000 || address.contains("//") {
            errors.append(FieldError(field: "address", message: "must be a console queue's address"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
