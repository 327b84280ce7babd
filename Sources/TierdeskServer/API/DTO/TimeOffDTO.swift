import Foundation
import TierdeskCore
import TierdeskStore

/// A month of time off in lieu: each person's out-of-hours minutes and the work logged in it.
struct TimeOffDTO: Codable, Sendable {
    var month: String
    var from: String
    var until: String
    /// The SLA calendar whose open hours are working hours.
    var calendar: String
    var people: [TimeOffLineDTO]
    var work: [TimeEntryDTO]

    init(_ statement: TimeOffDesk.Statement) {
        month = statement.month.description
        from = Timestamp.format(statement.range.lowerBound)
        until = Timestamp.format(statement.range.upperBound)
        calendar = statement.calendarName
        people = statement.lines.map { TimeOffLineDTO($0, person: statement.people[$0.personID]) }
        work = statement.work.map { TimeEntryDTO($0, person: statement.people[$0.work.personID]) }
    }

    /// The statement as CSV, one row per person.
    static func csv(_ statement: TimeOffDesk.Statement) -> String {
        CSVText.render(
            header: [
                "month", "person_id", "person", "email", "pages_out_of_hours", "page_minutes", "ticket_minutes",
                "total_minutes", "total_hours",
            ],
            rows: statement.lines.map { line in
                let person = statement.people[line.personID]
                return [
                    statement.month.description, line.personID.uuidString, person?.name ?? "", person?.email ?? "",
                    String(line.pagesOutOfHours),
                    String(minutes(line.pageSeconds)), String(minutes(line.ticketSeconds)),
                    String(minutes(line.totalSeconds)),
                    String(format: "%.2f", line.totalSeconds / 3600),
                ]
            }
        )
    }

    static func minutes(_ seconds: TimeInterval) -> Int { Int((seconds / 60).rounded()) }
}

/// One person's out-of-hours time in a month.
struct TimeOffLineDTO: Codable, Sendable {
    var person: PersonRefDTO
    /// Page notifications received out of hours.
    var pagesOutOfHours: Int
    var pageMinutes: Int
    var ticketMinutes: Int
    /// Pages and logged work together, overlaps counted once: the time owed.
    var totalMinutes: Int

    init(_ line: TimeOffInLieu.Line, person: Person?) {
        self.person = PersonRefDTO(id: line.personID, name: person?.name)
        pagesOutOfHours = line.pagesOutOfHours
        pageMinutes = TimeOffDTO.minutes(line.pageSeconds)
        ticketMinutes = TimeOffDTO.minutes(line.ticketSeconds)
        totalMinutes = TimeOffDTO.minutes(line.totalSeconds)
    }
}
