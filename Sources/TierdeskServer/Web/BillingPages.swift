import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Time and billing in the web pages: logging time, the timer, scope and vendor costs on a ticket's
/// console page; `/console/billing` (balances, plans, contracts) and its printable statements; and
/// `/portal/billing` for an organisation's requesters when its contract lets them see billing.
struct BillingPages {
    let templates: MustacheLibrary
    let console: ConsolePages
    let directory: DirectoryDesk
    let billingDesk: BillingDesk

    struct TimeForm: Decodable {
        var csrf: String
        var minutes: String
        var category: String?
        var notBillable: String?
        var note: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", minutes, category, notBillable, note }
    }

    struct StopForm: Decodable {
        var csrf: String
        var ticket: String
        var note: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", ticket, note }
    }

    struct ScopeForm: Decodable {
        var csrf: String
        var scope: String
        var consent: String?
        var projectTitle: String?
        var estimateHours: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", scope, consent, projectTitle, estimateHours }
    }

    struct CostForm: Decodable {
        var csrf: String
        var amount: String
        var currency: String
        var note: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", amount, currency, note }
    }

    /// A new plan as the admin's form sends it; amounts are decimals, hours empty for unlimited.
    struct PlanForm: Decodable {
        var csrf: String
        var name: String
        var includedHours: String?
        var currency: String
        var monthlyFee: String
        var overageRate: String
        var outOfScopeRate: String
        var projectRate: String
        var roundingMinutes: String?
        var minimumMinutes: String?
        var noticeDays: String?
        var slaPolicy: String?
        var recommendations: String?
        var monitoring24x7: String?
        var automaticUpgrades: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", name, includedHours, currency, monthlyFee, overageRate, outOfScopeRate, projectRate,
                roundingMinutes, minimumMinutes, noticeDays, slaPolicy, recommendations
            case monitoring24x7 = "monitoring_24x7"
            case automaticUpgrades = "automatic_upgrades"
        }

        /// The plan, with every field that is not a number named.
        func plan(now: Date) throws -> SupportPlan {
            var errors: [FieldError] = []
            func number(_ text: String?, _ field: String, default value: Int) -> Int {
                let trimmed = (text ?? "").trimmingWhitespace()
                guard !trimmed.isEmpty else { return value }
                guard let parsed = Int(trimmed) else {
                    errors.append(FieldError(field: field, message: "must be a whole number"))
                    return value
                }
                return parsed
            }
            func amount(_ text: String, _ field: String) -> Int {
                guard let minor = Money.minorUnits(typed: text) else {
                    errors.append(FieldError(field: field, message: "must be an amount such as 85.00"))
                    return 0
                }
                return minor
            }
            let hours = (includedHours ?? "").trimmingWhitespace()
            var included: Int?
            if !hours.isEmpty {
                if let value = Double(hours.replacingOccurrences(of: ",", with: ".")), value.isFinite, value >= 0,
                    value <= Double(SupportPlan.maxIncludedMinutes / 60)
                {
                    included = Int((value * 60).rounded())
                } else {
                    errors.append(
                        FieldError(field: "includedHours", message: "must be a number of hours, or empty for unlimited")
                    )
                }
            }
            let policy = (slaPolicy ?? "").trimmingWhitespace()
            let plan = SupportPlan(
                name: name,
                includedMinutes: included,
                monthlyFee: amount(monthlyFee, "monthlyFee"),
                currency: currency.trimmingWhitespace().uppercased(),
                overageRate: amount(overageRate, "overageRate"),
                outOfScopeRate: amount(outOfScopeRate, "outOfScopeRate"),
                projectRate: amount(projectRate, "projectRate"),
                roundingMinutes: number(roundingMinutes, "roundingMinutes", default: 15),
                minimumMinutes: number(minimumMinutes, "minimumMinutes", default: 0),
                slaPolicy: policy.isEmpty ? nil : policy,
                extras: [
                    recommendations == "1" ? PlanExtra.recommendations : nil,
                    monitoring24x7 == "1" ? .monitoring24x7 : nil, automaticUpgrades == "1" ? .automaticUpgrades : nil,
                ]
                .compactMap { $0 },
                noticeDays: number(noticeDays, "noticeDays", default: NoticeRule.standardDays),
                createdAt: now,
                updatedAt: now
            )
            guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
            return plan
        }
    }

    struct ContractForm: Decodable {
        var csrf: String
        var organisation: String
        var plan: String
        var starts: String
        var ends: String?
        var accountManager: String?
        var customerSeesBilling: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", organisation, plan, starts, ends, accountManager, customerSeesBilling
        }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = billingDesk
        let console = console
        router.post("/console/tickets/:reference/time") { request, context in
            let form = try await WebForm.decode(TimeForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("time", ["minutes": form.minutes, "note": form.note])
            return try await console.submit(reference, identity, success: "time", form: "time", kept: kept) {
                guard let minutes = Int(form.minutes.trimmingWhitespace()) else {
                    throw TierdeskError.invalid(field: "minutes", "must be a whole number of minutes from 1 to 1440")
                }
                _ = try await desk.logTime(
                    on: reference,
                    BillingDesk.TimeInput(
                        minutes: minutes,
                        billable: form.notBillable == "1" ? false : nil,
                        category: try Self.category(form.category),
                        note: form.note
                    ),
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/timer") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await console.submit(reference, identity, success: "timer") {
                _ = try await desk.startTimer(on: reference, by: identity.actor)
            }
        }
        router.post("/console/timer/stop") { request, context in
            let form = try await WebForm.decode(StopForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let kept = KeptForm("timer", ["note": form.note])
            return try await console.submit(form.ticket, identity, success: "time", form: "timer", kept: kept) {
                _ = try await desk.stopTimer(note: form.note, category: nil, billable: nil, by: identity.actor)
            }
        }
        router.post("/console/tickets/:reference/scope") { request, context in
            let form = try await WebForm.decode(ScopeForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm(
                "scope",
                ["consent": form.consent, "projectTitle": form.projectTitle, "estimateHours": form.estimateHours]
            )
            return try await console.submit(reference, identity, success: "scope", form: "scope", kept: kept) {
                guard let kind = BillingScope.Kind(rawValue: form.scope) else {
                    throw TierdeskError.invalid(field: "scope", "is not a billing scope")
                }
                var project: (String, Int)?
                if kind == .project {
                    let text = (form.estimateHours ?? "").trimmingWhitespace().replacingOccurrences(of: ",", with: ".")
                    guard let hours = Double(text), hours.isFinite, hours > 0, hours <= 2_000 else {
                        throw TierdeskError.invalid(field: "estimateHours", "must be a number of hours such as 12.5")
                    }
                    project = (form.projectTitle ?? "", Int((hours * 60).rounded()))
                }
                let consent = form.consent.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
                _ = try await desk.changeScope(
                    of: reference,
                    to: kind,
                    consent: consent,
                    project: project,
                    by: identity.actor
                )
            }
        }
        router.post("/console/tickets/:reference/vendor-cost") { request, context in
            let form = try await WebForm.decode(CostForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            let kept = KeptForm("cost", ["amount": form.amount, "currency": form.currency, "note": form.note])
            return try await console.submit(reference, identity, success: "cost", form: "cost", kept: kept) {
                guard let amount = Money.minorUnits(typed: form.amount) else {
                    throw TierdeskError.invalid(field: "amount", "must be an amount such as 120.00")
                }
                _ = try await desk.addVendorCost(
                    on: reference,
                    amount: amount,
                    currency: form.currency.trimmingWhitespace().uppercased(),
                    note: form.note,
                    incurredAt: nil,
                    by: identity.actor
                )
            }
        }

        router.get("/console/billing") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice: String? =
                switch request.uri.queryParameters.get("notice") {
                case "contract": "Contract added."
                case "plan": "Plan added."
                default: nil
                }
            return try await overview(
                identity,
                month: request.uri.queryParameters.get("month").map { String($0) },
                notice: notice
            )
        }
        router.post("/console/billing/plans") { request, context in
            let form = try await WebForm.decode(PlanForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    _ = try await desk.save(
                        plan: try form.plan(now: desk.now),
                        expectedVersion: nil,
                        by: identity.actor
                    )
                    return "/console/billing?notice=plan"
                },
                orShow: { problem in
                    try await overview(identity, month: nil, error: problem.detail, status: problem.status)
                }
            )
        }
        router.post("/console/billing/contracts") { request, context in
            let form = try await WebForm.decode(ContractForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    var errors: [FieldError] = []
                    let organisation = UUID(uuidString: form.organisation)
                    let plan = UUID(uuidString: form.plan)
                    let starts = LocalDate(form.starts)
                    let endText = (form.ends ?? "").trimmingWhitespace()
                    let ends = endText.isEmpty ? nil : LocalDate(endText)
                    if organisation == nil { errors.append(FieldError(field: "organisation", message: "choose one")) }
                    if plan == nil { errors.append(FieldError(field: "plan", message: "choose one")) }
                    if starts == nil { errors.append(FieldError(field: "starts", message: "must be a date")) }
                    if !endText.isEmpty, ends == nil {
                        errors.append(FieldError(field: "ends", message: "must be a date"))
                    }
                    guard let organisation, let plan, let starts, errors.isEmpty else {
                        throw TierdeskError.invalid(ValidationFailure(errors))
                    }
                    _ = try await desk.add(
                        contract: SupportContract(
                            organisationID: organisation,
                            planID: plan,
                            starts: starts,
                            ends: ends,
                            renews: ends != nil,
                            customerSeesBilling: form.customerSeesBilling == "1",
                            accountManagerID: form.accountManager.flatMap(UUID.init(uuidString:)),
                            createdBy: identity.actor.personID,
                            createdAt: desk.now
                        ),
                        by: identity.actor
                    )
                    return "/console/billing?notice=contract"
                },
                orShow: { problem in
                    try await overview(identity, month: nil, error: problem.detail, status: problem.status)
                }
            )
        }
        router.get("/console/billing/:organisationId/:month") { request, context in
            let identity = try ConsolePages.staff(context)
            let closed = request.uri.queryParameters.get("notice") == "closed"
            return try await statementPage(context, identity: identity, notice: closed ? "The month is closed." : nil)
        }
        router.post("/console/billing/:organisationId/:month/close") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let organisation = try context.uuidParameter("organisationId", what: "organisation")
            let month = try context.pathParameter("month")
            return try await WebForm.submit(
                {
                    _ = try await desk.close(organisation, month: month, by: identity.actor)
                    return "/console/billing/\(organisation.uuidString)/\(month)?notice=closed"
                },
                orShow: { problem in
                    try await statementPage(context, identity: identity, error: problem.detail, status: problem.status)
                }
            )
        }
        router.get("/console/billing/:organisationId/:month/csv") { _, context in
            let identity = try ConsolePages.staff(context)
            let month = try await desk.statement(
                of: try context.uuidParameter("organisationId", what: "organisation"),
                month: try context.pathParameter("month"),
                for: identity.actor
            )
            return CSVText.response(StatementDTO.csv(month.statement), filename: "statement-\(month.month).csv")
        }
        router.get("/portal/billing") { request, context in
            let (identity, user) = try PortalPages.signedIn(context)
            guard let organisation = identity.actor.organisationID else {
                throw TierdeskError.notFound("Support hours are shown to the requesters of an organisation.")
            }
            let asked = request.uri.queryParameters.get("month").map { String($0) }
            // The hours are shown to every requester the contract allows; the lines and money only where the
            // organisation shares tickets among its people.
            let balance = try await desk.balance(of: organisation, month: asked, for: identity.actor)
            let detail = AccessPolicy.decideStatement(
                of: balance.organisation,
                customerSeesBilling: balance.contract.customerSeesBilling,
                by: identity.actor
            )
            let view = StatementPageView(
                balance,
                user: user,
                zone: try await desk.currentTerms().zone,
                csvLink: "/portal/billing.csv?month=\(balance.month)",
                closeAction: nil,
                ticketLink: "/portal/tickets/",
                showDetail: detail == .allowed,
                notice: detail == .allowed
                    ? nil
                    : "\(balance.organisation.name) does not share tickets among its people, so the service desk sends the statement itself."
            )
            return try Templates.page(templates, "statement", view)
        }
        router.get("/portal/billing.csv") { request, context in
            let (identity, _) = try PortalPages.signedIn(context)
            guard let organisation = identity.actor.organisationID else {
                throw TierdeskError.notFound("Support hours are shown to the requesters of an organisation.")
            }
            let month = try await desk.statement(
                of: organisation,
                month: request.uri.queryParameters.get("month").map { String($0) },
                for: identity.actor
            )
            return CSVText.response(StatementDTO.csv(month.statement), filename: "statement-\(month.month).csv")
        }
    }

    private static func category(_ text: String?) throws -> TimeCategory? {
        guard let text, !text.isEmpty else { return nil }
        guard let category = TimeCategory(rawValue: text) else {
            throw TierdeskError.invalid(field: "category", "is not a time category")
        }
        return category
    }

    private func overview(
        _ identity: Identity,
        month text: String?,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = identity.actor
        let (month, balances) = try await billingDesk.balances(month: text, for: actor)
        let plans = try await billingDesk.plans(for: actor)
        let contracts = try await billingDesk.contracts(organisation: nil, for: actor)
        let organisations = try await directory.organisations(for: actor)
        let orgNames = Dictionary(organisations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let planNames = Dictionary(plans.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let showMoney = AccessPolicy.allows(.viewBilling, by: actor)
        let managers = try await directory.people(role: .manager, for: actor).filter(\.active)
        let projects = try await billingDesk.projects(for: actor)
        let policies = try await billingDesk.slaPolicyNames()
        let view = BillingPageView(
            user: UserView(identity),
            notice: notice,
            error: error,
            month: month.description,
            previousMonth: month.previous.description,
            nextMonth: month.next.description,
            zone: try await billingDesk.currentTerms().zone.identifier,
            balances: balances.map(BillingPageView.BalanceRow.init),
            hasBalances: !balances.isEmpty,
            plans: plans.map { BillingPageView.PlanRow($0, showMoney: showMoney) },
            contracts: contracts.reversed()
                .map {
                    BillingPageView.ContractRow(
                        organisation: orgNames[$0.organisationID] ?? "?",
                        plan: planNames[$0.planID] ?? "?",
                        period: "\($0.starts) – \($0.ends.map(\.description) ?? "open-ended")",
                        renews: $0.renews,
                        customerSees: $0.customerSeesBilling
                    )
                },
            projects: projects.map(BillingPageView.ProjectRow.init),
            hasProjects: !projects.isEmpty,
            showMoney: showMoney,
            isAdmin: AccessPolicy.allows(.configure, by: actor),
            organisationOptions: organisations.filter { $0.id != Organisation.internalID }
                .map {
                    OptionView(value: $0.id.uuidString, label: $0.name, selected: false)
                },
            planOptions: plans.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) },
            managerOptions: managers.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) },
            extraOptions: PlanExtra.allCases.map { OptionView(value: $0.rawValue, label: $0.label, selected: false) },
            policyOptions: policies.map { OptionView(value: $0, label: $0, selected: false) }
        )
        return try Templates.page(templates, "billing", view, status: status)
    }

    private func statementPage(
        _ context: TierdeskRequestContext,
        identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let organisation = try context.uuidParameter("organisationId", what: "organisation")
        let month = try await billingDesk.statement(
            of: organisation,
            month: try context.pathParameter("month"),
            for: identity.actor
        )
        let base = "/console/billing/\(organisation.uuidString)/\(month.month)"
        let view = StatementPageView(
            month,
            user: UserView(identity),
            zone: try await billingDesk.currentTerms().zone,
            csvLink: base + "/csv",
            closeAction: base + "/close",
            ticketLink: "/console/tickets/",
            notice: notice,
            error: error
        )
        return try Templates.page(templates, "statement", view, status: status)
    }
}
