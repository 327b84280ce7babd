import Foundation
import TierdeskCore
import TierdeskStore

/// Time off in lieu: each person's out-of-hours time on acknowledged pages and on time logged on
/// Sev1/Sev2 tickets or tickets that paged (the one time record, logged through ``BillingDesk``), per month in the time zone of the working-hours calendar. Staff see and log
/// their own; managers and admins everyone's (``AccessPolicy/decideTimeOff(of:by:)``).
struct TimeOffDesk: Sendable {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let sla: SLASettings
    let oncallDesk: OnCallDesk
    let pages: PageRepository
    let timeEntries: TimeEntryRepository

    /// One month's statement.
    struct Statement: Sendable {
        var month: CalendarMonth
        var range: Range<Date>
        /// The SLA calendar whose open hours are working hours.
        var calendarName: String
        /// The calendar's time zone, in which months and local times are read.
        var timeZone: TimeZone
        /// One line per person, by name.
        var lines: [TimeOffInLieu.Line]
        var work: [TimeEntryRepository.Entry]
        var people: [UUID: Person]
    }

    /// The home time zone: that of the working-hours calendar the paging settings name.
    func homeTimeZone() async throws -> TimeZone {
        try await workingHours().calendar.timeZone
    }

    /// The calendar of working hours the paging settings name; the standard office hours if it is gone.
    func workingHours() async throws -> (name: String, calendar: BusinessCalendar) {
        let name = try await settings.paging().workingHoursCalendarName
        return (name, sla.current.calendars[name] ?? SLAPolicy.standardOffice)
    }

    /// The month a `month` parameter names (`2026-11`); the current one when absent.
    func month(_ text: String?, in zone: TimeZone) throws -> CalendarMonth {
        guard let text else { return CalendarMonth(containing: clock.now(), in: zone) }
        guard let month = CalendarMonth(text) else {
            throw TierdeskError.invalid(field: "month", "must be a month such as 2026-11")
        }
        return month
    }

    /// The statement of a month: everyone's when `person` is nil and the actor may see everyone's, else
    /// one person's (the actor's own when nil).
    func statement(month text: String?, person: UUID?, for actor: Actor) async throws -> Statement {
        let subject = person ?? (AccessPolicy.decideTimeOff(of: nil, by: actor) == .allowed ? nil : actor.personID)
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: subject, by: actor), notFound: "")
        let hours = try await workingHours()
        let month = try month(text, in: hours.calendar.timeZone)
        let range = month.range(in: hours.calendar.timeZone)
        let (lines, work, _, _) = try await outOfHours(in: range, person: subject, hours: hours.calendar)
        let ids = Set(lines.map(\.personID) + work.map(\.work.personID))
        let people = Dictionary(
            try await directory.people(ids: ids).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        let named = lines.sorted {
            (people[$0.personID]?.name ?? "", $0.personID.uuidString) < (
                people[$1.personID]?.name ?? "", $1.personID.uuidString
            )
        }
        return Statement(
            month: month,
            range: range,
            calendarName: hours.name,
            timeZone: hours.calendar.timeZone,
            lines: named,
            work: work,
            people: people
        )
    }

    /// Out-of-hours time over a range, everyone's or one person's, with the logged work, the pages
    /// acknowledged and the notifications it comes from. Callers check who may see it.
    func outOfHours(in range: Range<Date>, person subject: UUID?, hours: BusinessCalendar) async throws -> (
        lines: [TimeOffInLieu.Line], work: [TimeEntryRepository.Entry], acknowledged: [OnCallPage],
        notifications: [PageEvent]
    ) {
        let now = clock.now()
        let work = try await timeEntries.entries(overlapping: range, person: subject, timeOffOnly: true)
        let acknowledged = try await pages.acknowledged(overlapping: range, by: subject)
        let spans = acknowledged.compactMap { WorkSpan(page: $0, now: now) } + work.map { WorkSpan($0.work) }
        let notifications = try await pages.notifications(in: range, to: subject)
        let lines = TimeOffInLieu.lines(spans: spans, notifications: notifications, hours: hours, in: range)
        return (lines, work, acknowledged, notifications)
    }
}
