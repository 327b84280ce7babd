import Foundation

/// Work split out of a ticket because it is bigger than break & fix: its own estimate, time and billing
/// (at the plan's project rate). Referred to as `PRJ-n`.
public struct Project: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var number: Int
    public var organisationID: UUID
    /// The ticket it was split from.
    public var ticketID: UUID
    public var title: String
    public var estimateMinutes: Int
    public var createdBy: UUID
    public var createdAt: Date

    public init(
        id: UUID = .timeOrdered(),
        number: Int,
        organisationID: UUID,
        ticketID: UUID,
        title: String,
        estimateMinutes: Int,
        createdBy: UUID,
        createdAt: Date
    ) {
        self.id = id
        self.number = number
        self.organisationID = organisationID
        self.ticketID = ticketID
        self.title = title
        self.estimateMinutes = estimateMinutes
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public static let prefix = "PRJ-"
    public var reference: String { Self.prefix + String(number) }

    /// Checks a new project's title and estimate (1 minute to 2,000 hours).
    public static func validated(title: String, estimateMinutes: Int) throws(ValidationFailure) -> String {
        var errors: [FieldError] = []
        let cleaned = TextLimits.line(title, field: "projectTitle", maxCharacters: 200, errors: &errors)
        if cleaned.isEmpty { errors.append(FieldError(field: "projectTitle", message: "must not be empty")) }
        if !(1...120_000).contains(estimateMinutes) {
            errors.append(FieldError(field: "estimateHours", message: "must be more than 0 and at most 2000 hours"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return cleaned
    }
}
