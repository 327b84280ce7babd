import Foundation

/// What a provider sells an organisation: hours a month (or unlimited), a monthly fee, rates for work
/// beyond it, how time is rounded, which services it covers, its SLA and support hours, and extras.
/// Pay as you go is a plan with no included hours and no fee.
public struct SupportPlan: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    /// Minutes included each month; nil for unlimited.
    public var includedMinutes: Int?
    /// The monthly fee, in minor units of ``currency``.
    public var monthlyFee: Int
    public var currency: String
    /// Minor units per hour of included-hours work beyond the included minutes.
    public var overageRate: Int
    /// Minor units per hour of out-of-scope work done with the requester's consent.
    public var outOfScopeRate: Int
    /// Minor units per hour of project work.
    public var projectRate: Int
    /// Each ticket's time of a month is rounded up to a multiple of this many minutes.
    public var roundingMinutes: Int
    /// Each ticket with billable time in a month is billed at least this many minutes.
    public var minimumMinutes: Int
    /// The services the plan covers; empty for all.
    public var serviceIDs: [UUID]
    /// The SLA policy a contracted organisation's tickets run under; nil keeps the policy the SLA settings pick.
    public var slaPolicy: String?
    /// The calendar of support hours the plan promises (shown to clients); nil for the SLA policy's.
    public var supportCalendar: String?
    public var extras: [PlanExtra]
    /// Days of notice a request with a needed-by date must give for the date to be promised.
    public var noticeDays: Int
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID = .timeOrdered(),
        name: String,
        includedMinutes: Int?,
        monthlyFee: Int,
        currency: String,
        overageRate: Int,
        outOfScopeRate: Int,
        projectRate: Int,
        roundingMinutes: Int = 15,
        minimumMinutes: Int = 0,
        serviceIDs: [UUID] = [],
        slaPolicy: String? = nil,
        supportCalendar: String? = nil,
        extras: [PlanExtra] = [],
        noticeDays: Int = NoticeRule.standardDays,
        version: Int = 1,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.includedMinutes = includedMinutes
        self.monthlyFee = monthlyFee
        self.currency = currency
        self.overageRate = overageRate
        self.outOfScopeRate = outOfScopeRate
        self.projectRate = projectRate
        self.roundingMinutes = roundingMinutes
        self.minimumMinutes = minimumMinutes
        self.serviceIDs = serviceIDs
        self.slaPolicy = slaPolicy
        self.supportCalendar = supportCalendar
        self.extras = extras
        self.noticeDays = noticeDays
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Pay as you go: no included hours, no fee.
    public var isPayAsYouGo: Bool { includedMinutes == 0 && monthlyFee == 0 }

    /// Whether the plan covers a ticket's service (every service when it names none).
    public func covers(service: UUID?) -> Bool {
        serviceIDs.isEmpty || service.map(serviceIDs.contains) == true
    }

    /// The most minutes a plan can include each month (a full-time team of ten).
    public static let maxIncludedMinutes = 10 * 200 * 60
    /// The highest fee or hourly rate, in minor units.
    public static let maxAmount = 100_000_000

    /// Checks a plan before it is saved; returns it with its name trimmed.
    public func validated() throws(ValidationFailure) -> SupportPlan {
        var errors: [FieldError] = []
        var plan = self
        plan.name = TextLimits.line(name, field: "name", maxCharacters: 80, errors: &errors)
        if plan.name.isEmpty { errors.append(FieldError(field: "name", message: "must not be empty")) }
        if let included = includedMinutes, !(0...Self.maxIncludedMinutes).contains(included) {
            errors.append(
                FieldError(
                    field: "includedHours",
                    message: "must be between 0 and \(Self.maxIncludedMinutes / 60) hours, or absent for unlimited"
                )
            )
        }
        if !Money.isCurrencyCode(currency) {
            errors.append(FieldError(field: "currency", message: "must be an ISO 4217 code such as GBP"))
        }
        for (field, amount) in [
            ("monthlyFee", monthlyFee), ("overageRate", overageRate), ("outOfScopeRate", outOfScopeRate),
            ("projectRate", projectRate),
        ] where !(0...Self.maxAmount).contains(amount) {
            errors.append(FieldError(field: field, message: "must be between 0 and \(Self.maxAmount / 100)"))
        }
        if !(1...60).contains(roundingMinutes) {
            errors.append(FieldError(field: "roundingMinutes", message: "must be between 1 and 60"))
        }
        if !(0...480).contains(minimumMinutes) {
            errors.append(FieldError(field: "minimumMinutes", message: "must be between 0 and 480"))
        }
        if !(0...365).contains(noticeDays) {
            errors.append(FieldError(field: "noticeDays", message: "must be between 0 and 365"))
        }
        if serviceIDs.count > 100 {
            errors.append(FieldError(field: "serviceIds", message: "at most 100 services"))
        }
        plan.extras = PlanExtra.allCases.filter(extras.contains)
        plan.serviceIDs = Array(Set(serviceIDs)).sorted { $0.uuidString < $1.uuidString }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return plan
    }
}
