import Foundation
import TierdeskCore
import TierdeskStore

/// The time and billing section of a ticket's console page.
struct TicketTimeView {
    struct Row {
        var id: String
        var when: String
        var whenISO: String
        var person: String
        var duration: String
        var category: String
        var billable: Bool
        var note: String
    }

    var entries: [Row]
    var hasEntries: Bool
    var total: String
    var billable: String
    var scope: String
    var consent: String?
    var project: String?
    var categories: [OptionView]
    var scopeOptions: [OptionView]
    /// When the viewer's timer started on this ticket.
    var timerSince: String?
    var timerSinceISO: String?
    /// The other ticket the viewer's timer runs on.
    var timerElsewhere: String?
    var canLogTime: Bool
    var canChangeScope: Bool
    var canRecordCosts: Bool
    /// The contract's plan, for staff to see what the client bought.
    var plan: String?

    init(
        _ time: BillingDesk.TicketTime,
        canLogTime: Bool,
        canChangeScope: Bool,
        canRecordCosts: Bool
    ) {
        entries = time.entries.map { entry in
            Row(
                id: entry.id.uuidString,
                when: DisplayTime.local(entry.start, in: time.zone),
                whenISO: Timestamp.format(entry.start),
                person: time.people[entry.personID]?.name ?? "someone",
                duration: DurationText.minutes(entry.minutes),
                category: entry.category.label,
                billable: entry.billable,
                note: entry.note
            )
        }
        hasEntries = !entries.isEmpty
        total = DurationText.minutes(time.entries.map(\.minutes).reduce(0, +))
        billable = DurationText.minutes(time.entries.filter(\.billable).map(\.minutes).reduce(0, +))
        scope = (time.scope?.kind ?? .inScope).label
        consent = time.scope?.consent
        project = time.project.map {
            "\($0.reference) \($0.title) (estimate \(DurationText.minutes($0.estimateMinutes)))"
        }
        categories = TimeCategory.allCases.map {
            OptionView(value: $0.rawValue, label: $0.label, selected: $0 == .breakFix)
        }
        scopeOptions = BillingScope.Kind.allCases.map {
            OptionView(value: $0.rawValue, label: $0.label, selected: $0 == (time.scope?.kind ?? .inScope))
        }
        timerSince = time.timer.flatMap { $0.here ? DisplayTime.local($0.startedAt, in: time.zone) : nil }
        timerSinceISO = time.timer.flatMap { $0.here ? Timestamp.format($0.startedAt) : nil }
        timerElsewhere = time.timer.flatMap { $0.here ? nil : $0.reference }
        self.canLogTime = canLogTime
        self.canChangeScope = canChangeScope
        self.canRecordCosts = canRecordCosts
        plan = time.plan?.name
    }
}

/// `/console/billing`: the month's balances, the plans and the contracts.
struct BillingPageView {
    struct BalanceRow {
        var organisation: String
        var organisationID: String
        var plan: String
        var included: String
        var used: String
        var remaining: String
        var percent: String
        var overage: String
        var warnings: String
        var closed: Bool
        var state: String
    }

    struct PlanRow {
        var name: String
        var included: String
        var fee: String?
        var rates: String?
        var rounding: String
        var notice: String
        var extras: String
        var slaPolicy: String
        var supportHours: String
    }

    struct ProjectRow {
        var reference: String
        var title: String
        var organisation: String
        var ticket: String
        var estimate: String
        var logged: String
        var over: Bool
    }

    struct ContractRow {
        var organisation: String
        var plan: String
        var period: String
        var renews: Bool
        var customerSees: Bool
    }

    var title = "Billing"
    var user: UserView?
    var notice: String?
    var error: String?
    var month: String
    var previousMonth: String
    var nextMonth: String
    var zone: String
    var balances: [BalanceRow]
    var hasBalances: Bool
    var plans: [PlanRow]
    var contracts: [ContractRow]
    var projects: [ProjectRow]
    var hasProjects: Bool
    var showMoney: Bool
    var isAdmin: Bool
    var organisationOptions: [OptionView]
    var planOptions: [OptionView]
    var managerOptions: [OptionView]
    var extraOptions: [OptionView]
    var policyOptions: [OptionView]
}

extension BillingPageView.ProjectRow {
    init(_ line: BillingDesk.ProjectLine) {
        reference = line.project.reference
        title = line.project.title
        organisation = line.organisation
        ticket = line.ticketReference
        estimate = DurationText.minutes(line.project.estimateMinutes)
        logged = DurationText.minutes(line.loggedMinutes)
        over = line.loggedMinutes > line.project.estimateMinutes
    }
}

extension BillingPageView.BalanceRow {
    init(_ month: BillingDesk.Month) {
        let statement = month.statement
        organisation = month.organisation.name
        organisationID = month.organisation.id.uuidString
        plan = month.plan.name
        included = statement.includedMinutes.map(DurationText.minutes) ?? "unlimited"
        used = DurationText.minutes(statement.usedMinutes)
        remaining = statement.remainingMinutes.map(DurationText.minutes) ?? "—"
        percent = statement.usedPercent.map { "\($0) %" } ?? "—"
        overage = statement.overageMinutes > 0 ? DurationText.minutes(statement.overageMinutes) : "—"
        warnings = month.warningsSent.map { "\($0) %" }.joined(separator: ", ")
        closed = statement.closedAt != nil
        state = (statement.usedPercent ?? 0) >= 100 ? "missed" : (statement.usedPercent ?? 0) >= 80 ? "at_risk" : "met"
    }
}

extension BillingPageView.PlanRow {
    init(_ plan: SupportPlan, showMoney: Bool) {
        name = plan.name
        included =
            plan.includedMinutes.map { $0 == 0 ? "none (pay as you go)" : DurationText.minutes($0) }
            ?? "unlimited"
        fee = showMoney ? Money(minor: plan.monthlyFee, currency: plan.currency).text : nil
        rates =
            showMoney
            ? "overage \(Money.decimal(plan.overageRate)), out of scope \(Money.decimal(plan.outOfScopeRate)), project \(Money.decimal(plan.projectRate)) an hour"
            : nil
        rounding =
            "up to \(plan.roundingMinutes) min"
            + (plan.minimumMinutes > 0 ? ", at least \(plan.minimumMinutes) min a ticket" : "")
        notice = "\(plan.noticeDays) days"
        extras = plan.extras.map(\.label).joined(separator: ", ")
        slaPolicy = plan.slaPolicy ?? "from the SLA settings"
        supportHours = plan.supportCalendar ?? "the SLA policy's"
    }
}

/// A monthly statement as a printable page (console and portal).
struct StatementPageView {
    struct Line {
        var ticket: String
        var title: String
        var link: String?
        var kind: String
        var categories: String
        var logged: String
        var billed: String
        var amount: String
    }

    struct CostLine {
        var ticket: String
        var note: String
        var when: String
        var amount: String
    }

    var title: String
    var user: UserView?
    var notice: String?
    var error: String?
    var organisation: String
    var month: String
    var plan: String
    var currency: String
    var lines: [Line]
    var hasLines: Bool
    var costs: [CostLine]
    var hasCosts: Bool
    var included: String
    var used: String
    var remaining: String
    var overage: String
    var unbilled: String
    var fee: String
    var overageAmount: String
    var outOfScope: String
    var project: String
    var vendor: String
    var total: String
    var closed: String?
    var csvLink: String
    var closeAction: String?
    var csrf: String?
    /// False for a requester who may see the balance of hours but not the statement's lines and money.
    var showDetail: Bool

    init(
        _ month: BillingDesk.Month,
        user: UserView?,
        zone: TimeZone,
        csvLink: String,
        closeAction: String?,
        ticketLink: String?,
        showDetail: Bool = true,
        notice: String? = nil,
        error: String? = nil
    ) {
        let statement = month.statement
        let money = { (minor: Int) in Money(minor: minor, currency: statement.currency).text }
        title = "Statement \(statement.organisationName) \(statement.month)"
        self.user = user
        self.notice = notice
        self.error = error
        organisation = statement.organisationName
        self.month = statement.month
        plan = statement.planName
        currency = statement.currency
        lines = statement.lines.map { line in
            Line(
                ticket: line.ticketReference,
                title: line.ticketTitle,
                link: ticketLink.map { $0 + line.ticketReference },
                kind: line.bucket == .project
                    ? "Project \(line.projectReference ?? "")"
                    : line.bucket == .outOfScope ? "Out of scope" : "Included hours",
                categories: line.categories.sorted { $0.key < $1.key }
                    .map {
                        "\(TimeCategory(rawValue: $0.key)?.label ?? $0.key) \(DurationText.minutes($0.value))"
                    }
                    .joined(separator: ", "),
                logged: DurationText.minutes(line.loggedMinutes),
                billed: DurationText.minutes(line.billedMinutes),
                amount: line.amount.map(money) ?? "—"
            )
        }
        hasLines = !lines.isEmpty
        costs = statement.vendorLines.map {
            CostLine(
                ticket: $0.ticketReference,
                note: $0.note,
                when: DisplayTime.local($0.incurredAt, in: zone),
                amount: money($0.amount)
            )
        }
        hasCosts = !costs.isEmpty
        included = statement.includedMinutes.map(DurationText.minutes) ?? "unlimited"
        used = DurationText.minutes(statement.usedMinutes)
        remaining = statement.remainingMinutes.map(DurationText.minutes) ?? "—"
        overage = DurationText.minutes(statement.overageMinutes)
        unbilled = DurationText.minutes(statement.unbilledMinutes)
        fee = money(statement.monthlyFee)
        overageAmount = money(statement.overageAmount)
        outOfScope = money(statement.outOfScopeAmount)
        project = money(statement.projectAmount)
        vendor = money(statement.vendorAmount)
        total = money(statement.total)
        closed = statement.closedAt.map {
            "Closed \(DisplayTime.local($0, in: zone)) by \(statement.closedBy ?? "someone"); this month is read-only."
        }
        self.csvLink = csvLink
        self.closeAction = statement.closedAt == nil && month.isOver ? closeAction : nil
        csrf = user?.csrf
        self.showDetail = showDetail
        if !showDetail { title = "Support hours \(statement.organisationName) \(statement.month)" }
    }
}
