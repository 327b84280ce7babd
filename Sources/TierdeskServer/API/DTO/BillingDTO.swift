import Foundation
import TierdeskCore
import TierdeskStore

/// A support plan. Fee and rates are present only for managers and admins.
struct PlanDTO: Codable, Sendable {
    var id: UUID
    var name: String
    /// Included hours a month; absent for unlimited.
    var includedHours: Double?
    var unlimited: Bool
    var currency: String
    var monthlyFee: String?
    var overageRate: String?
    var outOfScopeRate: String?
    var projectRate: String?
    var roundingMinutes: Int
    var minimumMinutes: Int
    var serviceIds: [UUID]
    var slaPolicy: String?
    var supportCalendar: String?
    var extras: [PlanExtra]
    var noticeDays: Int
    var version: Int

    init(_ plan: SupportPlan, showMoney: Bool) {
        id = plan.id
        name = plan.name
        includedHours = plan.includedMinutes.map { Double($0) / 60 }
        unlimited = plan.includedMinutes == nil
        currency = plan.currency
        monthlyFee = showMoney ? Money.decimal(plan.monthlyFee) : nil
        overageRate = showMoney ? Money.decimal(plan.overageRate) : nil
        outOfScopeRate = showMoney ? Money.decimal(plan.outOfScopeRate) : nil
        projectRate = showMoney ? Money.decimal(plan.projectRate) : nil
        roundingMinutes = plan.roundingMinutes
        minimumMinutes = plan.minimumMinutes
        serviceIds = plan.serviceIDs
        slaPolicy = plan.slaPolicy
        supportCalendar = plan.supportCalendar
        extras = plan.extras
        noticeDays = plan.noticeDays
        version = plan.version
    }
}

/// A plan to add or replace. Amounts are decimals in the currency (`85.00`).
struct PlanInputDTO: Decodable, Sendable {
    var name: String
    var includedHours: Double?
    var currency: String
    var monthlyFee: String
    var overageRate: String
    var outOfScopeRate: String
    var projectRate: String
    var roundingMinutes: Int?
    var minimumMinutes: Int?
    var serviceIds: [UUID]?
    var slaPolicy: String?
    var supportCalendar: String?
    var extras: [PlanExtra]?
    var noticeDays: Int?
    /// The version being replaced; required to change a plan.
    var version: Int?

    func plan(id: UUID, now: Date) throws -> SupportPlan {
        var errors: [FieldError] = []
        func amount(_ text: String, _ field: String) -> Int {
            guard let minor = Money.minorUnits(text) else {
                errors.append(FieldError(field: field, message: "must be an amount such as 85.00"))
                return 0
            }
            return minor
        }
        var included: Int?
        if let hours = includedHours {
            if hours.isFinite, hours >= 0, hours <= Double(SupportPlan.maxIncludedMinutes / 60) {
                included = Int((hours * 60).rounded())
            } else {
                errors.append(
                    FieldError(
                        field: "includedHours",
                        message: "must be between 0 and \(SupportPlan.maxIncludedMinutes / 60)"
                    )
                )
            }
        }
        let plan = SupportPlan(
            id: id,
            name: name,
            includedMinutes: included,
            monthlyFee: amount(monthlyFee, "monthlyFee"),
            currency: currency,
            overageRate: amount(overageRate, "overageRate"),
            outOfScopeRate: amount(outOfScopeRate, "outOfScopeRate"),
            projectRate: amount(projectRate, "projectRate"),
            roundingMinutes: roundingMinutes ?? 15,
            minimumMinutes: minimumMinutes ?? 0,
            serviceIDs: serviceIds ?? [],
            slaPolicy: slaPolicy,
            supportCalendar: supportCalendar,
            extras: extras ?? [],
            noticeDays: noticeDays ?? NoticeRule.standardDays,
            createdAt: now,
            updatedAt: now
        )
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return plan
    }
}

/// A contract binding an organisation to a plan.
struct ContractDTO: Codable, Sendable {
    var id: UUID
    var organisationId: UUID
    var planId: UUID
    var starts: String
    var ends: String?
    var renews: Bool
    var cancellationNoticeDays: Int
    var customerSeesBilling: Bool
    var accountManagerId: UUID?
    var createdAt: String

    init(_ contract: SupportContract) {
        id = contract.id
        organisationId = contract.organisationID
        planId = contract.planID
        starts = contract.starts.description
        ends = contract.ends?.description
        renews = contract.renews
        cancellationNoticeDays = contract.cancellationNoticeDays
        customerSeesBilling = contract.customerSeesBilling
        accountManagerId = contract.accountManagerID
        createdAt = Timestamp.format(contract.createdAt)
    }
}

struct ContractInputDTO: Decodable, Sendable {
    var organisationId: UUID
    var planId: UUID
    var starts: String
    var ends: String?
    var renews: Bool?
    var cancellationNoticeDays: Int?
    var customerSeesBilling: Bool?
    var accountManagerId: UUID?

    func contract(by person: UUID, now: Date) throws -> SupportContract {
        var errors: [FieldError] = []
        let start = LocalDate(starts)
        if start == nil { errors.append(FieldError(field: "starts", message: "must be a date such as 2026-12-01")) }
        let end = ends.flatMap(LocalDate.init)
        if ends != nil, end == nil {
            errors.append(FieldError(field: "ends", message: "must be a date such as 2027-11-30"))
        }
        guard let start, errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return SupportContract(
            organisationID: organisationId,
            planID: planId,
            starts: start,
            ends: end,
            renews: renews ?? (end != nil),
            cancellationNoticeDays: cancellationNoticeDays ?? 30,
            customerSeesBilling: customerSeesBilling ?? true,
            accountManagerID: accountManagerId,
            createdBy: person,
            createdAt: now
        )
    }
}

/// Work split out of a ticket, with its estimate and the time logged on it.
struct ProjectDTO: Codable, Sendable {
    var id: UUID
    var reference: String
    var title: String
    var organisation: String
    var ticket: String
    var estimateMinutes: Int
    var loggedMinutes: Int
    var createdAt: String

    init(_ line: BillingDesk.ProjectLine) {
        id = line.project.id
        reference = line.project.reference
        title = line.project.title
        organisation = line.organisation
        ticket = line.ticketReference
        estimateMinutes = line.project.estimateMinutes
        loggedMinutes = line.loggedMinutes
        createdAt = Timestamp.format(line.project.createdAt)
    }
}

/// Time logged on a ticket.
struct TimeEntryDTO: Codable, Sendable {
    var id: UUID
    var person: PersonRefDTO
    var ticket: String
    var start: String
    var end: String
    var minutes: Int
    var billable: Bool
    var category: TimeCategory
    var note: String
    var recordedAt: String

    init(_ entry: TimeEntryRepository.Entry, person: Person?) {
        id = entry.work.id
        self.person = PersonRefDTO(id: entry.work.personID, name: person?.name)
        ticket = entry.ticketReference
        start = Timestamp.format(entry.work.start)
        end = Timestamp.format(entry.work.end)
        minutes = entry.work.minutes
        billable = entry.work.billable
        category = entry.work.category
        note = entry.work.note
        recordedAt = Timestamp.format(entry.work.recordedAt)
    }
}

/// Time to log: a stretch (`start` and `end`) or `minutes` ending now; for the caller unless `personId`
/// names someone (managers and admins).
struct NewTimeEntryDTO: Decodable, Sendable {
    var personId: UUID?
    var start: Date?
    var end: Date?
    var minutes: Int?
    var billable: Bool?
    var category: TimeCategory?
    var note: String

    var input: BillingDesk.TimeInput {
        BillingDesk.TimeInput(
            person: personId,
            start: start,
            end: end,
            minutes: minutes,
            billable: billable,
            category: category,
            note: note
        )
    }
}

/// Logged time with the balance warnings it set off.
struct LoggedTimeDTO: Codable, Sendable {
    var entry: TimeEntryDTO
    /// Warning levels (80, 100) reached for the first time this month by this entry.
    var balanceWarnings: [Int]
}

struct TimerDTO: Codable, Sendable {
    var ticket: String
    var startedAt: String
}

struct StopTimerDTO: Decodable, Sendable {
    var note: String
    var category: TimeCategory?
    var billable: Bool?
}

struct ScopeInputDTO: Decodable, Sendable {
    var scope: BillingScope.Kind
    var consent: String?
    var projectTitle: String?
    var estimateHours: Double?
}

struct ScopeDTO: Codable, Sendable {
    var ticket: String
    var scope: BillingScope.Kind
    var consent: String?
    var project: String?
    var version: Int
}

struct VendorCostInputDTO: Decodable, Sendable {
    var amount: String
    var currency: String
    var note: String
    var incurredAt: Date?
}

struct VendorCostDTO: Codable, Sendable {
    var id: UUID
    var ticket: String
    var amount: String
    var currency: String
    var note: String
    var incurredAt: String
}

/// An organisation's hours in a month.
struct BalanceDTO: Codable, Sendable {
    var organisation: OrganisationRefDTO
    var month: String
    var plan: String
    var includedMinutes: Int?
    var usedMinutes: Int
    var remainingMinutes: Int?
    var overageMinutes: Int
    var usedPercent: Int?
    var warningsSent: [Int]
    var closed: Bool

    init(_ month: BillingDesk.Month) {
        organisation = OrganisationRefDTO(id: month.organisation.id, name: month.organisation.name)
        self.month = month.month.description
        plan = month.plan.name
        includedMinutes = month.statement.includedMinutes
        usedMinutes = month.statement.usedMinutes
        remainingMinutes = month.statement.remainingMinutes
        overageMinutes = month.statement.overageMinutes
        usedPercent = month.statement.usedPercent
        warningsSent = month.warningsSent
        closed = month.statement.closedAt != nil
    }
}

struct OrganisationRefDTO: Codable, Sendable {
    var id: UUID
    var name: String
}

/// A monthly statement; amounts are decimals in `currency`.
struct StatementDTO: Codable, Sendable {
    struct Line: Codable, Sendable {
        var ticket: String
        var title: String
        var bucket: MonthlyStatement.Bucket
        var project: String?
        var categories: [String: Int]
        var loggedMinutes: Int
        var billedMinutes: Int
        var amount: String?
    }

    struct VendorLine: Codable, Sendable {
        var ticket: String
        var note: String
        var incurredAt: String
        var amount: String
    }

    var organisation: OrganisationRefDTO
    var month: String
    var plan: String
    var currency: String
    var lines: [Line]
    var vendorCosts: [VendorLine]
    var includedMinutes: Int?
    var usedMinutes: Int
    var overageMinutes: Int
    var unbilledMinutes: Int
    var monthlyFee: String
    var overageAmount: String
    var outOfScopeMinutes: Int
    var outOfScopeAmount: String
    var projectMinutes: Int
    var projectAmount: String
    var vendorAmount: String
    var total: String
    var closedAt: String?
    var closedBy: String?

    init(_ statement: MonthlyStatement) {
        organisation = OrganisationRefDTO(id: statement.organisationID, name: statement.organisationName)
        month = statement.month
        plan = statement.planName
        currency = statement.currency
        lines = statement.lines.map {
            Line(
                ticket: $0.ticketReference,
                title: $0.ticketTitle,
                bucket: $0.bucket,
                project: $0.projectReference,
                categories: $0.categories,
                loggedMinutes: $0.loggedMinutes,
                billedMinutes: $0.billedMinutes,
                amount: $0.amount.map(Money.decimal)
            )
        }
        vendorCosts = statement.vendorLines.map {
            VendorLine(
                ticket: $0.ticketReference,
                note: $0.note,
                incurredAt: Timestamp.format($0.incurredAt),
                amount: Money.decimal($0.amount)
            )
        }
        includedMinutes = statement.includedMinutes
        usedMinutes = statement.usedMinutes
        overageMinutes = statement.overageMinutes
        unbilledMinutes = statement.unbilledMinutes
        monthlyFee = Money.decimal(statement.monthlyFee)
        overageAmount = Money.decimal(statement.overageAmount)
        outOfScopeMinutes = statement.outOfScopeMinutes
        outOfScopeAmount = Money.decimal(statement.outOfScopeAmount)
        projectMinutes = statement.projectMinutes
        projectAmount = Money.decimal(statement.projectAmount)
        vendorAmount = Money.decimal(statement.vendorAmount)
        total = Money.decimal(statement.total)
        closedAt = statement.closedAt.map(Timestamp.format)
        closedBy = statement.closedBy
    }

    /// RFC 4180 rows: one per line, then the vendor costs and the totals.
    static func csv(_ statement: MonthlyStatement) -> String {
        var rows: [[String]] = []
        for line in statement.lines {
            rows.append([
                line.ticketReference, line.ticketTitle, line.bucket.rawValue, line.projectReference ?? "",
                String(line.loggedMinutes), String(line.billedMinutes), line.amount.map(Money.decimal) ?? "",
                statement.currency,
            ])
        }
        for cost in statement.vendorLines {
            rows.append([
                cost.ticketReference, cost.note, "vendor_cost", "", "", "", Money.decimal(cost.amount),
                statement.currency,
            ])
        }
        let included = statement.includedMinutes.map(String.init) ?? "unlimited"
        rows.append([
            "", "Monthly fee (\(statement.planName), \(included) minutes included)", "fee", "", "", "",
            Money.decimal(statement.monthlyFee), statement.currency,
        ])
        rows.append([
            "", "Overage", "overage", "", "", String(statement.overageMinutes), Money.decimal(statement.overageAmount),
            statement.currency,
        ])
        rows.append(["", "Total", "total", "", "", "", Money.decimal(statement.total), statement.currency])
        return CSVText.render(
            header: ["ticket", "title", "bucket", "project", "logged_minutes", "billed_minutes", "amount", "currency"],
            rows: rows
        )
    }
}
