import Foundation
import TierdeskCore
import TierdeskStore

/// Time off in lieu: each person's out-of-hours time on acknowledged pages and on work logged
/// on Sev1/Sev2 tickets, per month in the time zone of the working-hours calendar. Staff see and log
/// their own; managers and admins everyone's (``AccessPolicy/decideTimeOff(of:by:)``).
struct TimeOffDesk: Sendable {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let sla: SLASettings
    let oncallDesk: OnCallDesk
    let pages: PageRepository
    let workLog: WorkLogRepository
    let ticketDesk: TicketDesk

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
        var work: [WorkLogRepository.Entry]
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
        lines: [TimeOffInLieu.Line], work: [WorkLogRepository.Entry], acknowledged: [OnCallPage],
        notifications: [PageEvent]
    ) {
        let now = clock.now()
        let work = try await workLog.entries(overlapping: range, person: subject)
        let acknowledged = try await pages.acknowledged(overlapping: range, by: subject)
        let spans = acknowledged.compactMap { WorkSpan(page: $0, now: now) } + work.map { WorkSpan($0.work) }
        let notifications = try await pages.notifications(in: range, to: subject)
        let lines = TimeOffInLieu.lines(spans: spans, notifications: notifications, hours: hours, in: range)
        return (lines, work, acknowledged, notifications)
    }

    /// Logs work on a ticket, for `person` (the actor when nil). The ticket must be Sev1 or Sev2, or have paged.
    /// Returns the entry with the person it is for.
    func log(
        on reference: String,
        person: UUID?,
        start: Date,
        end: Date,
        note: String,
        by actor: Actor
    ) async throws -> (entry: WorkLogRepository.Entry, person: Person?) {
        let personID = person ?? actor.personID
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: personID, by: actor), notFound: "")
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        let now = clock.now()
        var errors: [FieldError] = []
        var cleaned = note
        do { cleaned = try LoggedWork.validated(start: start, end: end, note: note, now: now) } catch {
            errors = error.errors
        }
        if person != nil, try await oncallDesk.staffIDs([personID]).isEmpty {
            errors.append(
                FieldError(
                    field: "personId",
                    message: "\(personID.uuidString) is not an active agent, manager or admin"
                )
            )
        }
        if ticket.severity == .sev3, try await pages.list(ticketID: ticket.id, limit: 1).isEmpty {
            errors.append(
                FieldError(
                    field: "ticket",
                    message:
                        "only Sev1 and Sev2 work earns time off in lieu; \(TicketReference.format(ticket.number)) is Sev3 and never paged"
                )
            )
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let work = LoggedWork(
            personID: personID,
            ticketID: ticket.id,
            start: start,
            end: end,
            note: cleaned,
            recordedBy: actor.personID,
            recordedAt: now
        )
        try await workLog.add(work)
        let entry = WorkLogRepository.Entry(work: work, ticketReference: TicketReference.format(ticket.number))
        return (entry, try await directory.person(personID))
    }

    /// Removes logged work: one's own, or anyone's for managers and admins.
    func remove(_ id: UUID, by actor: Actor) async throws {
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: actor.personID, by: actor), notFound: "")
        guard let work = try await workLog.find(id) else {
            throw TierdeskError.notFound("No logged work has the id \(id.uuidString).")
        }
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: work.personID, by: actor), notFound: "")
        guard try await workLog.delete(id) else {
            throw TierdeskError.notFound("No logged work has the id \(id.uuidString).")
        }
    }
}
