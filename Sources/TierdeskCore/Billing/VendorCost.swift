import Foundation

/// What a vendor charged for support on a ticket, passed through to the client on the statement of the
/// month it was incurred.
public struct VendorCost: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var ticketID: UUID
    public var vendorID: UUID?
    public var amount: Money
    public var note: String
    public var incurredAt: Date
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(
        id: UUID = .timeOrdered(),
        ticketID: UUID,
        vendorID: UUID?,
        amount: Money,
        note: String,
        incurredAt: Date,
        recordedBy: UUID,
        recordedAt: Date
    ) {
        self.id = id
        self.ticketID = ticketID
        self.vendorID = vendorID
        self.amount = amount
        self.note = note
        self.incurredAt = incurredAt
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// Checks the amount (more than zero, in the plan's currency) and the note; returns the note trimmed.
    public static func validated(amount: Money, currency: String, note: String, incurredAt: Date, now: Date)
        throws(ValidationFailure) -> String
    {
        var errors: [FieldError] = []
        if !(1...SupportPlan.maxAmount).contains(amount.minor) {
            errors.append(FieldError(field: "amount", message: "must be more than 0 and at most 1000000"))
        }
        if amount.currency != currency {
            errors.append(
                FieldError(field: "currency", message: "must be the contract's currency, \(currency)")
            )
        }
        if incurredAt > now {
            errors.append(FieldError(field: "incurredAt", message: "must not be in the future"))
        }
        let cleaned = TextLimits.line(note, field: "note", maxCharacters: 300, errors: &errors)
        if cleaned.isEmpty { errors.append(FieldError(field: "note", message: "must say what the vendor charged for")) }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return cleaned
    }
}
