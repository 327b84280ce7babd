import Foundation
import TierdeskCore
import TierdeskStore

/// The managers' reports: the checklist, the figures of a period and the tickets behind each number.
/// Managers and admins see every team; an agent the team of their own tier
/// (``AccessPolicy/decideReport(tier:by:)``). Reports of the home time zone, unfiltered or by tier, add up
/// the projection's day sums (``ReportProjection``); the others, and every list of tickets, recompute the
/// facts of the tickets they touch from their events. Both give the same numbers.
struct ReportDesk: Sendable {
    let clock: any Clock
    let reports: ReportRepository
    let sla: SLASettings
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let oncall: OnCallRepository
    let outbox: OutboxRepository
    let timeOff: TimeOffDesk
    let incidents: IncidentRepository
    /// Hours used against the organisations' plans, for the customer SLA report.
    let billing: BillingDesk
    /// Who report mail comes from, and the web address its links point to; nil without a mail relay.
    let mailIdentity: DeskMailIdentity?

    /// What a report is asked for: a period (when nil, the current period of `periodKind`, or the last
    /// ``defaultDays`` days without one), a time zone (the working-hours calendar's when nil) and filters.
    struct Request: Sendable {
        var period: String?
        var periodKind: ReportPeriod.Kind?
        var timeZone: String?
        var filter = ReportFilter()
    }

    /// A report over a period, ready to read.
    struct Report: Sendable {
        var period: ReportPeriod
        /// The filter applied, narrowed to an agent's tier where the policy asks for it.
        var filter: ReportFilter
        var now: Date
        var operating: OperatingReport
    }

    /// How much a report must be able to show beyond its numbers.
    enum Detail: Sendable {
        /// The checklist and figures' numbers.
        case numbers
        /// Everything, the tickets behind each number included: computed from the tickets' facts.
        case tickets
    }

    /// The days a report covers when no period is asked for: today and the 29 before.
    static let defaultDays = 30

    /// The home time zone: that of the working-hours calendar the paging settings name.
    func homeTimeZone() async throws -> TimeZone {
        try await timeOff.homeTimeZone()
    }

    /// Reads the period and filter, checks the actor may see them, and computes the report over the period
    /// with the `detail` asked for; with its numbers alone (the checklist and figures), also over the
    /// trailing periods their trends show. Lists show the period alone.
    func report(_ request: Request, for actor: Actor, detail: Detail) async throws -> Report {
        let asked = try await resolve(request, for: actor)
        return try await compute(
            asked.period,
            filter: asked.filter,
            trend: detail == .numbers ? OperatingReport.trendLength : 1,
            at: asked.now,
            detail: detail
        )
    }

    /// The period and filter a request asks for, narrowed to an agent's tier where the policy asks for it,
    /// once the actor may see them, and the instant to report at.
    func resolve(_ request: Request, for actor: Actor) async throws -> (
        period: ReportPeriod, filter: ReportFilter, now: Date
    ) {
        var filter = request.filter
        if filter.tier == nil, !AccessPolicy.allows(.viewReports, by: actor), actor.has(.agent) {
            filter.tier = actor.tier
        }
        try TierdeskError.check(AccessPolicy.decideReport(tier: filter.tier, by: actor), notFound: "")
        let zone = try await timeZone(request.timeZone)
        let now = clock.now()
        let period: ReportPeriod
        if let text = request.period {
            do { period = try ReportPeriod(parsing: text, in: zone) } catch { throw TierdeskError.invalid(error) }
        } else if let kind = request.periodKind {
            period = ReportPeriod.containing(now, kind: kind, in: zone)
        } else {
            period = ReportPeriod.last(Self.defaultDays, endingAt: now, in: zone)
        }
        return (period, filter, now)
    }

    /// A customer organisation's SLA report of a month, what its requesters see in the portal and a
    /// manager sends (``AccessPolicy/decideCustomerReport(of:by:)``).
    struct CustomerView: Sendable {
        var organisation: Organisation
        var report: Report
        var customer: CustomerReport
        var names: NameBook
        /// The hours used against the organisation's plan, when it had a contract and the reader may see them.
        var hours: BillingDesk.Month?
    }

    /// The SLA report of `organisation` (the actor's own when nil) for `month` (`2026-11`; the current
    /// month when nil).
    func customerReport(organisation id: UUID?, month: String?, timeZone name: String?, for actor: Actor)
        async throws -> CustomerView
    {
        guard let id = id ?? actor.organisationID else {
            throw TierdeskError.invalid(field: "organisation", "name the organisation whose report to show")
        }
        guard let organisation = try await directory.organisation(id) else {
            throw TierdeskError.notFound("No organisation has the id \(id.uuidString).")
        }
        try TierdeskError.check(
            AccessPolicy.decideCustomerReport(of: organisation, by: actor),
            notFound: "No organisation has the id \(id.uuidString)."
        )
        let zone = try await timeZone(name)
        let now = clock.now()
        var period = ReportPeriod.containing(now, kind: .month, in: zone)
        if let month {
            let parsed: ReportPeriod
            do { parsed = try ReportPeriod(parsing: month, in: zone) } catch { throw TierdeskError.invalid(error) }
            guard parsed.kind == .month else {
                throw TierdeskError.invalid(field: "month", "must be a month such as 2026-11")
            }
            period = parsed
        }
        let report = try await compute(
            period,
            filter: ReportFilter(organisationID: id),
            trend: 1,
            at: now,
            detail: .tickets
        )
        return CustomerView(
            organisation: organisation,
            report: report,
            customer: report.operating.customerReport(for: period),
            names: try await names(people: []),
            hours: try await CalendarMonth(period.label)
                .asyncFlatMap {
                    try await billing.visibleHours(of: organisation, month: $0, for: actor)
                }
        )
    }

    /// The named time zone, or the home one.
    func timeZone(_ name: String?) async throws -> TimeZone {
        guard let name else { return try await homeTimeZone() }
        guard name.count <= 64, let zone = TimeZone(identifier: name) else {
            throw TierdeskError.invalid(field: "tz", "must be an IANA time zone such as Europe/Berlin")
        }
        return zone
    }

    /// The report of `period` and its `trend` trailing periods: from the projection when it serves them
    /// and no list of tickets is needed, else from the facts of every ticket they touch.
    func compute(_ period: ReportPeriod, filter: ReportFilter, trend: Int, at now: Date, detail: Detail) async throws
        -> Report
    {
        let trailing = period.trailing(trend)
        let serving = detail == .tickets ? nil : try await servingDerivation(period, filter: filter, at: now)
        var knownErrors = serving?.knownErrorsCreated ?? [:]
        if serving == nil { knownErrors = try await reports.knownErrorsCreated() }
        let correctors = try await correctors()
        let coverage = try await coverage(of: trailing)
        let operating: OperatingReport
        var now = now
        if let derivation = serving {
            let counting = try await projectedCounting(
                trailing,
                filter: filter,
                correctors: correctors,
                derivation: derivation
            )
            now = counting.now
            operating = OperatingReport(
                counting: counting,
                now: now,
                knownErrorsCreated: knownErrors,
                correctors: correctors,
                onCallCoverage: coverage
            )
        } else {
            let configuration = sla.current
            let facts = try await reports.histories(touching: trailing[0].start..<period.end, filter: filter)
                .map {
                    TicketFacts.derive(
                        ticket: $0.ticket,
                        events: $0.events,
                        policy: configuration.policy(for: $0.ticket),
                        now: now
                    )
                }
            operating = OperatingReport(
                facts: facts,
                filter: filter,
                now: now,
                knownErrorsCreated: knownErrors,
                correctors: correctors,
                onCallCoverage: coverage
            )
        }
        return Report(period: period, filter: filter, now: now, operating: operating)
    }

    /// The people who may write data today (``AccessPolicy/mayCorrectData(_:)``).
    func correctors() async throws -> Set<UUID> {
        Set(try await directory.activeStaffActors().filter(AccessPolicy.mayCorrectData).map(\.personID))
    }

    /// The on-call figures of a period: pages per person, time to acknowledge, out-of-hours load. Everyone's
    /// load is for those who may see everyone's time off in lieu (``AccessPolicy/decideTimeOff(of:by:)``);
    /// others see the totals and their own line.
    func onCallFigures(_ report: Report, for actor: Actor) async throws -> OnCallFigures {
        let period = report.period
        let hours = try await timeOff.workingHours()
        let load = try await timeOff.outOfHours(in: period.start..<period.end, person: nil, hours: hours.calendar)
        var figures = OnCallFigures(
            notifications: load.notifications,
            acknowledgedPages: load.acknowledged,
            outOfHours: load.lines,
            period: period
        )
        if AccessPolicy.decideTimeOff(of: nil, by: actor) != .allowed {
            figures.people = figures.people.filter { $0.personID == actor.personID }
        }
        return figures
    }

    /// The major incidents declared in the report's period that its filter's organisation and service touch.
    func incidentFigures(_ report: Report) async throws -> IncidentFigures {
        let period = report.period
        let found = try await incidents.declared(in: period.start..<period.end)
        return IncidentFigures(
            incidents: found.incidents.filter { IncidentFigures.matches($0, report.filter) },
            updatesSent: found.updates,
            reviewed: found.reviewed,
            policy: try await settings.incidentPolicy()
        )
    }

    /// The combined coverage of every on-call schedule in each period, keyed by the period's start; with no
    /// schedule, none.
    func coverage(of periods: [ReportPeriod]) async throws -> [Date: Double] {
        let stored = try await oncall.storedSchedules()
        guard !stored.isEmpty, let first = periods.first, let last = periods.last else { return [:] }
        let schedules = try await oncall.schedules(of: stored, from: first.start, until: last.end)
        var ratios: [Date: Double] = [:]
        for period in periods {
            ratios[period.start] = ScheduleCoverage.staffedRatio(
                schedules.values.map { ($0, $0.coverage(in: period.start..<period.end)) }
            )
        }
        return ratios
    }

    /// Names of every organisation and service, and of `people`, for pages and exports.
    func names(people: Set<UUID>) async throws -> NameBook {
        try await NameBook.load(directory, people: people)
    }
}
