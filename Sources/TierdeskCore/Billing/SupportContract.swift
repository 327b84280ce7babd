import Foundation

/// Binds an organisation to a plan from one day to another (both inclusive, in the desk's home time
/// zone). Contracts are never deleted: an organisation's contracts are its billing history, and a new
/// one ends the one before it.
public struct SupportContract: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organisationID: UUID
    public var planID: UUID
    public var starts: LocalDate
    /// The last day; nil while open-ended.
    public var ends: LocalDate?
    /// Whether it renews for another term of the same length at its end unless notice is given.
    public var renews: Bool
    /// Days of notice either side must give to end it.
    public var cancellationNoticeDays: Int
    /// Whether the organisation's requesters see its balance and statements in the portal.
    public var customerSeesBilling: Bool
    /// The staff member who looks after the client; warned when hours run out.
    public var accountManagerID: UUID?
    public var createdBy: UUID
    public var createdAt: Date

    public init(
        id: UUID = .timeOrdered(),
        organisationID: UUID,
        planID: UUID,
        starts: LocalDate,
        ends: LocalDate? = nil,
        renews: Bool = true,
        cancellationNoticeDays: Int = 30,
        customerSeesBilling: Bool = true,
        accountManagerID: UUID? = nil,
        createdBy: UUID,
        createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.planID = planID
        self.starts = starts
        self.ends = ends
        self.renews = renews
        self.cancellationNoticeDays = cancellationNoticeDays
        self.customerSeesBilling = customerSeesBilling
        self.accountManagerID = accountManagerID
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether the contract is in force on a day. A renewing contract runs on past its end.
    public func covers(_ day: LocalDate) -> Bool {
        day >= starts && (renews || ends.map { day <= $0 } ?? true)
    }

    /// The contract in force on a day among an organisation's contracts: the one that started last.
    public static func inForce(on day: LocalDate, among contracts: [SupportContract]) -> SupportContract? {
        contracts.filter { $0.covers(day) }.max { ($0.starts, $0.createdAt) < ($1.starts, $1.createdAt) }
    }

    /// Checks a contract against the day it is made: it ends after it starts, and notice is sane.
    public func validated() throws(ValidationFailure) -> SupportContract {
        var errors: [FieldError] = []
        if let ends, ends < starts {
            errors.append(FieldError(field: "ends", message: "must not be before starts (\(starts))"))
        }
        if renews, ends == nil {
            errors.append(FieldError(field: "ends", message: "a renewing contract needs the end of its first term"))
        }
        if !(0...365).contains(cancellationNoticeDays) {
            errors.append(FieldError(field: "cancellationNoticeDays", message: "must be between 0 and 365"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return self
    }
}
