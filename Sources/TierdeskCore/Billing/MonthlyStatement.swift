import Foundation

/// One organisation's bill for one month: hours by ticket and category, included hours against overage,
/// out-of-scope and project work at their rates, vendor costs passed through, and the total.
///
/// Each ticket's billable time of the month is summed per ``Bucket``, rounded up to the plan's increment
/// and raised to its minimum per ticket. Included-hours buckets use up the included minutes first; the
/// rest is overage at the overage rate. Out-of-scope and project time is billed at its own rate.
/// Amounts are rounded half up to a minor unit per line.
public struct MonthlyStatement: Sendable, Equatable, Codable {
    /// How a line is billed.
    public enum Bucket: String, StringEnum, Sendable {
        case included, outOfScope = "out_of_scope", project
    }

    /// One ticket's billable (or not) time in one bucket.
    public struct Line: Sendable, Equatable, Codable {
        public var ticketReference: String
        public var ticketTitle: String
        public var bucket: Bucket
        /// The project the time went to, for project lines.
        public var projectReference: String?
        /// Minutes logged per category, as logged (billable ones only).
        public var categories: [String: Int]
        public var loggedMinutes: Int
        /// After rounding and the minimum.
        public var billedMinutes: Int
        /// The amount of out-of-scope and project lines; included lines are paid by the fee and overage.
        public var amount: Int?
    }

    /// A vendor's charge passed through.
    public struct VendorLine: Sendable, Equatable, Codable {
        public var ticketReference: String
        public var note: String
        public var incurredAt: Date
        public var amount: Int
    }

    public var organisationID: UUID
    public var organisationName: String
    /// `YYYY-MM`.
    public var month: String
    public var planName: String
    public var currency: String
    public var lines: [Line]
    public var vendorLines: [VendorLine]
    /// Nil for unlimited.
    public var includedMinutes: Int?
    /// Billed minutes of included-hours lines.
    public var usedMinutes: Int
    public var overageMinutes: Int
    /// Logged time that is not billed (marked so, or guidance only).
    public var unbilledMinutes: Int
    public var monthlyFee: Int
    public var overageAmount: Int
    public var outOfScopeMinutes: Int
    public var outOfScopeAmount: Int
    public var projectMinutes: Int
    public var projectAmount: Int
    public var vendorAmount: Int
    public var total: Int
    /// Set once the month is closed: closed months are read-only.
    public var closedAt: Date?
    public var closedBy: String?

    /// Minutes of the included hours left (nil for unlimited).
    public var remainingMinutes: Int? { includedMinutes.map { max(0, $0 - usedMinutes) } }

    /// The share of the included hours used, in percent (nil for unlimited or none included).
    public var usedPercent: Int? {
        guard let included = includedMinutes, included > 0 else { return nil }
        return usedMinutes * 100 / included
    }

    /// A time entry as the statement needs it.
    public struct Work: Sendable {
        public var entry: TimeEntry
        public var ticketReference: String
        public var ticketTitle: String
        public var scope: BillingScope.Kind
        public var projectReference: String?

        public init(
            entry: TimeEntry,
            ticketReference: String,
            ticketTitle: String,
            scope: BillingScope.Kind,
            projectReference: String?
        ) {
            self.entry = entry
            self.ticketReference = ticketReference
            self.ticketTitle = ticketTitle
            self.scope = scope
            self.projectReference = projectReference
        }
    }

    /// Builds the statement of a month from its time entries (those that started in the month) and
    /// vendor costs (those incurred in it).
    public static func build(
        organisation: Organisation,
        month: CalendarMonth,
        plan: SupportPlan,
        work: [Work],
        vendorCosts: [(cost: VendorCost, ticketReference: String)]
    ) -> MonthlyStatement {
        struct Key: Hashable {
            var ticket: String
            var bucket: Bucket
        }
        var groups: [Key: Line] = [:]
        var unbilled = 0
        for item in work {
            let minutes = item.entry.minutes
            guard item.entry.billable, item.scope != .guidanceOnly else {
                unbilled += minutes
                continue
            }
            let category = item.scope.billedCategory(item.entry.category)
            let bucket: Bucket =
                category.usesIncludedHours ? .included : category == .project ? .project : .outOfScope
            let key = Key(ticket: item.ticketReference, bucket: bucket)
            var line =
                groups[key]
                ?? Line(
                    ticketReference: item.ticketReference,
                    ticketTitle: item.ticketTitle,
                    bucket: bucket,
                    projectReference: bucket == .project ? item.projectReference : nil,
                    categories: [:],
                    loggedMinutes: 0,
                    billedMinutes: 0,
                    amount: nil
                )
            line.categories[item.entry.category.rawValue, default: 0] += minutes
            line.loggedMinutes += minutes
            groups[key] = line
        }
        var lines = groups.values.map { line in
            var line = line
            let increment = plan.roundingMinutes
            let rounded = (line.loggedMinutes + increment - 1) / increment * increment
            line.billedMinutes = max(rounded, plan.minimumMinutes)
            switch line.bucket {
            case .included: line.amount = nil
            case .outOfScope: line.amount = Self.cost(line.billedMinutes, plan.outOfScopeRate)
            case .project: line.amount = Self.cost(line.billedMinutes, plan.projectRate)
            }
            return line
        }
        lines.sort {
            (TicketReference.number(in: $0.ticketReference) ?? 0, $0.bucket.rawValue)
                < (TicketReference.number(in: $1.ticketReference) ?? 0, $1.bucket.rawValue)
        }
        let used = lines.filter { $0.bucket == .included }.map(\.billedMinutes).reduce(0, +)
        let overage = plan.includedMinutes.map { max(0, used - $0) } ?? 0
        let outOfScope = lines.filter { $0.bucket == .outOfScope }
        let project = lines.filter { $0.bucket == .project }
        let vendorLines = vendorCosts.sorted { $0.cost.incurredAt < $1.cost.incurredAt }
            .map {
                VendorLine(
                    ticketReference: $0.ticketReference,
                    note: $0.cost.note,
                    incurredAt: $0.cost.incurredAt,
                    amount: $0.cost.amount.minor
                )
            }
        var statement = MonthlyStatement(
            organisationID: organisation.id,
            organisationName: organisation.name,
            month: month.description,
            planName: plan.name,
            currency: plan.currency,
            lines: lines,
            vendorLines: vendorLines,
            includedMinutes: plan.includedMinutes,
            usedMinutes: used,
            overageMinutes: overage,
            unbilledMinutes: unbilled,
            monthlyFee: plan.monthlyFee,
            overageAmount: Self.cost(overage, plan.overageRate),
            outOfScopeMinutes: outOfScope.map(\.billedMinutes).reduce(0, +),
            outOfScopeAmount: outOfScope.compactMap(\.amount).reduce(0, +),
            projectMinutes: project.map(\.billedMinutes).reduce(0, +),
            projectAmount: project.compactMap(\.amount).reduce(0, +),
            vendorAmount: vendorLines.map(\.amount).reduce(0, +),
            total: 0
        )
        statement.total =
            statement.monthlyFee + statement.overageAmount + statement.outOfScopeAmount + statement.projectAmount
            + statement.vendorAmount
        return statement
    }

    private static func cost(_ minutes: Int, _ rate: Int) -> Int {
        Money.minor(forMinutes: minutes, ratePerHour: rate)
    }
}

extension MonthlyStatement {
    /// The thresholds of used included hours at which the organisation is warned, in percent.
    public static let warningLevels = [80, 100]

    /// The warning levels the used hours have reached (none for unlimited plans or none included).
    public var warningLevelsReached: [Int] {
        guard let percent = usedPercent else { return [] }
        return Self.warningLevels.filter { percent >= $0 }
    }
}
