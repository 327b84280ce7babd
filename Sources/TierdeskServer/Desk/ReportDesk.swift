import Foundation
import TierdeskCore
import TierdeskStore

/// The managers' reports: the checklist, the figures of a period and the tickets behind each number.
/// Managers and admins see every team; an agent the team of their own tier
/// (``AccessPolicy/decideReport(tier:by:)``). Every figure is recomputed from the tickets' events.
struct ReportDesk: Sendable {
    let clock: any Clock
    let reports: ReportRepository
    let sla: SLASettings
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let oncall: OnCallRepository

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

    /// The days a report covers when no period is asked for: today and the 29 before.
    static let defaultDays = 30

    /// The home time zone: that of the working-hours calendar the paging settings name.
    func homeTimeZone() async throws -> TimeZone {
        let name = try await settings.paging().workingHoursCalendarName
        return (sla.current.calendars[name] ?? SLAPolicy.standardOffice).timeZone
    }

    /// Reads the period and filter, checks the actor may see them, and computes the report over the period
    /// and the trailing periods its trends show.
    func report(_ request: Request, for actor: Actor) async throws -> Report {
        var filter = request.filter
        if filter.tier == nil, !AccessPolicy.allows(.viewReports, by: actor), actor.has(.agent) {
            filter.tier = actor.tier
        }
        try TierdeskError.check(AccessPolicy.decideReport(tier: filter.tier, by: actor), notFound: "")
        let zone: TimeZone
        if let name = request.timeZone {
            guard let named = TimeZone(identifier: name), name.count <= 64 else {
                throw TierdeskError.invalid(field: "tz", "must be an IANA time zone such as Europe/Berlin")
            }
            zone = named
        } else {
            zone = try await homeTimeZone()
        }
        let now = clock.now()
        let period: ReportPeriod
        if let text = request.period {
            do { period = try ReportPeriod(parsing: text, in: zone) } catch { throw TierdeskError.invalid(error) }
        } else if let kind = request.periodKind {
            period = ReportPeriod.containing(now, kind: kind, in: zone)
        } else {
            period = ReportPeriod.last(Self.defaultDays, endingAt: now, in: zone)
        }
        let trailing = period.trailing(OperatingReport.trendLength)
        let window = trailing[0].start..<period.end
        let configuration = sla.current
        let facts = try await reports.histories(touching: window)
            .map {
                TicketFacts.derive(
                    ticket: $0.ticket,
                    events: $0.events,
                    policy: configuration.policy(for: $0.ticket),
                    now: now
                )
            }
        let correctors = Set(
            try await directory.activeStaff().filter { AccessPolicy.mayCorrectData($0.actor) }.map(\.id)
        )
        return Report(
            period: period,
            filter: filter,
            now: now,
            operating: OperatingReport(
                facts: facts,
                filter: filter,
                now: now,
                knownErrorsCreated: try await reports.knownErrorsCreated(),
                correctors: correctors,
                onCallCoverage: try await coverage(of: trailing)
            )
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
            ratios[period.start] = ScheduleCoverage.combinedRatio(
                schedules.values.map { $0.coverage(in: period.start..<period.end) }
            )
        }
        return ratios
    }

    /// Names of every organisation and service, and of `people`, for pages and exports.
    func names(people: Set<UUID>) async throws -> NameBook {
        var book = NameBook()
        for organisation in try await directory.organisations() {
            book.organisations[organisation.id] = organisation.name
        }
        for service in try await directory.services() { book.services[service.id] = service.name }
        for person in try await directory.people(ids: people) { book.people[person.id] = person.name }
        return book
    }
}
