import Foundation
import TierdeskCore
import TierdeskStore

/// Balances and monthly statements. A statement is built from the month's time and costs under the
/// contract in force on the month's last day; once closed it is read as it was closed.
extension BillingDesk {
    /// An organisation's month: its statement (live or closed) and the contract behind it.
    struct Month: Sendable {
        var organisation: Organisation
        var month: CalendarMonth
        var contract: SupportContract
        var plan: SupportPlan
        var statement: MonthlyStatement
        var warningsSent: [Int]
        /// Whether the month is over, so it may be closed.
        var isOver: Bool
    }

    /// The month a `month` parameter names (`2026-11`); the current one when absent.
    func month(_ text: String?, zone: TimeZone) throws -> CalendarMonth {
        guard let text else { return CalendarMonth(containing: now, in: zone) }
        guard let month = CalendarMonth(text) else {
            throw TierdeskError.invalid(field: "month", "must be a month such as 2026-11")
        }
        return month
    }

    /// An organisation's balance of hours for a month. Staff, and the organisation's requesters when
    /// its contract lets them see billing.
    func balance(of organisation: UUID, month text: String?, for actor: Actor) async throws -> Month {
        try await load(organisation, month: text, for: actor) { _, contract in
            AccessPolicy.decideBalance(
                of: organisation,
                customerSeesBilling: contract?.customerSeesBilling ?? false,
                by: actor
            )
        }
    }

    /// An organisation's statement for a month, with money. Managers and admins, and the organisation's
    /// requesters when its contract lets them see billing.
    func statement(of organisation: UUID, month text: String?, for actor: Actor) async throws -> Month {
        try await load(organisation, month: text, for: actor) { named, contract in
            AccessPolicy.decideStatement(
                of: named,
                customerSeesBilling: contract?.customerSeesBilling ?? false,
                by: actor
            )
        }
    }

    /// Closes a month after review: its statement is kept as it stands and the month takes no more time
    /// or costs. Managers and admins; only a month that is over.
    func close(_ organisation: UUID, month text: String, by actor: Actor) async throws -> Month {
        try TierdeskError.check(AccessPolicy.decide(.viewBilling, by: actor), notFound: "")
        var month = try await statement(of: organisation, month: text, for: actor)
        guard month.isOver else {
            throw TierdeskError.conflict("\(month.month) is not over yet; close it once it has ended.")
        }
        guard month.statement.closedAt == nil else {
            throw TierdeskError.conflict("The statement for \(month.month) is already closed.")
        }
        month.statement.closedAt = now
        month.statement.closedBy = try await directory.person(actor.personID)?.name
        try await billing.close(month.statement, by: actor.personID)
        return month
    }

    private func load(
        _ organisationID: UUID,
        month text: String?,
        for actor: Actor,
        decide: (Organisation, SupportContract?) -> AccessDecision
    ) async throws -> Month {
        let notFound = "No organisation has the id \(organisationID.uuidString), or you may not see it."
        let terms = try await currentTerms()
        let month = try month(text, zone: terms.zone)
        let contract = terms.terms(for: organisationID, month: month)
        guard let organisation = try await directory.organisation(organisationID) else {
            throw TierdeskError.notFound(notFound)
        }
        let decision = decide(organisation, contract?.contract)
        if decision == .hidden { throw TierdeskError.notFound(notFound) }
        guard let contract else {
            throw TierdeskError.notFound("\(organisation.name) had no support contract in \(month).")
        }
        try TierdeskError.check(decision, notFound: notFound)
        let statement: MonthlyStatement
        if let closed = try await billing.closedStatement(organisation: organisationID, month: month.description) {
            statement = closed
        } else {
            let input = try await billing.monthInput(organisation: organisationID, range: month.range(in: terms.zone))
            statement = MonthlyStatement.build(
                organisation: organisation,
                month: month,
                plan: contract.plan,
                work: input.work,
                vendorCosts: input.vendorCosts
            )
        }
        return Month(
            organisation: organisation,
            month: month,
            contract: contract.contract,
            plan: contract.plan,
            statement: statement,
            warningsSent: try await billing.warningsSent(organisation: organisationID, month: month.description),
            isOver: month.range(in: terms.zone).upperBound <= now
        )
    }

    /// An organisation's hours of a month when it had a contract and the actor may see them (the customer
    /// SLA report shows them then); nil otherwise.
    func visibleHours(of organisation: Organisation, month: CalendarMonth, for actor: Actor) async throws -> Month? {
        let terms = try await currentTerms()
        guard let contract = terms.terms(for: organisation.id, month: month),
            AccessPolicy.decideBalance(
                of: organisation.id,
                customerSeesBilling: contract.contract.customerSeesBilling,
                by: actor
            ) == .allowed
        else { return nil }
        return try await balance(of: organisation.id, month: month.description, for: actor)
    }

    /// Every contracted organisation's balance this month (or `month`), for the console. Staff only.
    func balances(month text: String?, for actor: Actor) async throws -> (CalendarMonth, [Month]) {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        let terms = try await currentTerms()
        let month = try month(text, zone: terms.zone)
        var months: [Month] = []
        for organisation in try await directory.organisations() {
            guard terms.terms(for: organisation.id, month: month) != nil else { continue }
            months.append(try await balance(of: organisation.id, month: month.description, for: actor))
        }
        return (month, months)
    }
}

/// The mail that warns an organisation's contacts and account manager that its included hours are
/// running out (80 %) or used up (100 %). One outbox message per person, keyed by organisation, month
/// and level, so each level is sent once a month.
enum BalanceWarningMail {
    static func messages(
        _ statement: MonthlyStatement,
        level: Int,
        to people: [Person],
        identity: DeskMailIdentity,
        at now: Date
    ) throws -> [OutboxMessage] {
        guard let included = statement.includedMinutes else { return [] }
        let used = DurationText.minutes(statement.usedMinutes)
        let subject =
            level >= 100
            ? "\(statement.organisationName): the support hours of \(statement.month) are used up"
            : "\(statement.organisationName): \(level) % of the support hours of \(statement.month) used"
        var lines = [
            "\(statement.organisationName) has used \(used) of the \(DurationText.minutes(included)) of support included in \(statement.planName) for \(statement.month)."
        ]
        if level >= 100 {
            lines.append("Further work this month is billed as overage at the plan's hourly rate.")
        } else {
            lines.append("\(DurationText.minutes(statement.remainingMinutes ?? 0)) remain this month.")
        }
        lines.append("-- \n\(identity.name)")
        let domain = identity.threading.domain
        return try people.filter { !$0.email.isEmpty }
            .map { person in
                let mail = OutgoingMail(
                    from: identity.mailbox,
                    to: [MailAddress(name: person.name, address: person.email)],
                    subject: subject,
                    messageID: "balance-\(UUID().uuidString.lowercased())@\(domain)",
                    autoSubmitted: .autoGenerated,
                    date: now,
                    text: lines.joined(separator: "\n\n"),
                    ticketNumber: nil
                )
                return try OutboxMessage.mail(
                    mail,
                    key:
                        "balance:\(statement.organisationID.uuidString):\(statement.month):\(level):\(person.id.uuidString)",
                    automatic: true,
                    ticketID: nil,
                    at: now
                )
            }
    }
}
