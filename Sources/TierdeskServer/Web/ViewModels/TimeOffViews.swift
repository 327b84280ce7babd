import Foundation
import TierdeskCore
import TierdeskStore

/// The console's time-off-in-lieu page: a month's out-of-hours time per person, the work logged in it,
/// and a form to log more.
struct TimeOffPageView {
    struct LineRow {
        var person: String
        var pagesOutOfHours: Int
        var pageHours: String
        var ticketHours: String
        var totalHours: String
    }

    struct WorkRow {
        var id: String
        var person: String
        var ticket: String
        var start: String
        var end: String
        var note: String
        var canRemove: Bool
    }

    var title = "Time off in lieu"
    var user: UserView?
    var notice: String?
    var error: String?
    var month: String
    var previousMonth: String
    var nextMonth: String
    var calendar: String
    var timeZone: String
    var lines: [LineRow]
    var hasLines: Bool
    var work: [WorkRow]
    var hasWork: Bool
    /// Whom work may be logged for: only oneself for agents, any member of staff for managers and admins.
    var people: [OptionView]
    var form: WorkForm

    /// What the form holds: empty, or what was sent when it was refused.
    struct WorkForm {
        var ticket = ""
        var start = ""
        var end = ""
        var note = ""
    }

    init(
        _ statement: TimeOffDesk.Statement,
        actor: Actor,
        staff: [Person],
        user: UserView?,
        form: WorkForm,
        notice: String?,
        error: String?
    ) {
        self.user = user
        self.notice = notice
        self.error = error
        month = statement.month.description
        previousMonth = statement.month.previous.description
        nextMonth = statement.month.next.description
        calendar = statement.calendarName
        let zone = statement.timeZone
        timeZone = zone.identifier
        let hours = { (seconds: TimeInterval) in String(format: "%.2f", seconds / 3600) }
        lines = statement.lines.map { line in
            LineRow(
                person: statement.people[line.personID]?.name ?? line.personID.uuidString,
                pagesOutOfHours: line.pagesOutOfHours,
                pageHours: hours(line.pageSeconds),
                ticketHours: hours(line.ticketSeconds),
                totalHours: hours(line.totalSeconds)
            )
        }
        hasLines = !lines.isEmpty
        work = statement.work.map { entry in
            WorkRow(
                id: entry.work.id.uuidString.lowercased(),
                person: statement.people[entry.work.personID]?.name ?? entry.work.personID.uuidString,
                ticket: entry.ticketReference,
                start: DisplayTime.local(entry.work.start, in: zone),
                end: DisplayTime.local(entry.work.end, in: zone),
                note: entry.work.note,
                canRemove: AccessPolicy.decideTimeOff(of: entry.work.personID, by: actor) == .allowed
            )
        }
        hasWork = !work.isEmpty
        people = staff.filter { AccessPolicy.decideTimeOff(of: $0.id, by: actor) == .allowed }
            .map { OptionView(value: $0.id.uuidString, label: $0.name, selected: $0.id == actor.personID) }
        self.form = form
    }
}
