import Foundation
import TierdeskCore

/// The SLA settings page.
struct SLAPageView {
    var title = "SLA settings"
    var user: UserView?
    var notice: String?
    var error: String?
    var calendars: [CalendarView]
    var policies: [PolicyView]
    var isAdmin: Bool
    var csrf: String
    var calendarForm: CalendarFormView
    var policyForm: PolicyFormView
}

struct CalendarView {
    struct Day {
        var day: String
        var windows: String
    }

    var name: String
    var builtIn: Bool
    var timeZone: String
    var days: [Day]
    var holidays: String
    var usedBy: String

    init(_ calendar: CalendarDTO) {
        name = calendar.name
        builtIn = calendar.builtIn
        timeZone = calendar.timeZone
        days = Weekday.allCases.map { day in
            Day(
                day: day.rawValue,
                windows: CalendarForm.windowsText(calendar.weekly[day.rawValue] ?? []).nilIfEmpty ?? "closed"
            )
        }
        holidays = calendar.holidays.isEmpty ? "none" : calendar.holidays.joined(separator: ", ")
        usedBy = calendar.usedBy.isEmpty ? "no policy" : calendar.usedBy.joined(separator: ", ")
    }
}

struct PolicyView {
    struct Row {
        var priority: String
        var cells: [String]
    }

    var name: String
    var scope: String
    var rows: [Row]
    var pausing: String
    var warning: String
    var escalation: String

    init(_ policy: SLAPolicy, scopeNames: [UUID: String]) {
        name = policy.name
        scope =
            switch policy.scope {
            case .everyone: "every ticket without a more specific policy"
            case .service(let id), .organisation(let id): scopeNames[id] ?? id.uuidString
            }
        rows = Priority.allCases.map { priority in
            Row(
                priority: priority.rawValue,
                cells: SLAClockKind.allCases.map { clock in
                    policy.targets[priority]?[clock].map { "\(DurationText.minutes($0.minutes)) · \($0.calendar)" }
                        ?? "—"
                }
            )
        }
        pausing = policy.pausingStatuses.map { StatusLabel.text($0) }.sorted().joined(separator: ", ")
        warning = "\(Int((policy.warningShare * 100).rounded())) %"
        escalation = SLAAlarm.Level.allCases
            .map { level in
                "\(level.rawValue): "
                    + ((policy.escalation[level] ?? []).map(\.rawValue).joined(separator: ", ").nilIfEmpty ?? "nothing")
            }
            .joined(separator: "; ")
    }
}

/// The calendar form as the template reads it.
struct CalendarFormView {
    struct Field {
        var day: String
        var value: String
    }

    var name: String
    var timeZone: String
    var days: [Field]
    var holidays: String

    init(_ form: CalendarForm) {
        name = form.name
        timeZone = form.timeZone
        days = Weekday.allCases.map { Field(day: $0.rawValue, value: form.days[$0.rawValue] ?? "") }
        holidays = form.holidays
    }
}

/// The policy form with its choices.
struct PolicyFormView {
    struct Cell {
        var key: String
        var minutes: String
        var calendars: [OptionView]
    }

    struct Row {
        var priority: String
        var cells: [Cell]
    }

    struct Check {
        var key: String
        var label: String
        var checked: Bool
    }

    var name: String
    var scopes: [OptionView]
    var rows: [Row]
    var pausing: [Check]
    var warningPercent: String
    var escalation: [Check]

    init(_ form: PolicyForm, calendars: [String], scopes: [OptionView]) {
        name = form.name
        self.scopes = scopes
        rows = Priority.allCases.map { priority in
            Row(
                priority: priority.rawValue,
                cells: SLAClockKind.allCases.map { clock in
                    let key = PolicyForm.key(priority, clock)
                    let chosen = form.values["\(key).calendar"] ?? BusinessCalendar.twentyFourSevenName
                    return Cell(
                        key: key,
                        minutes: form.values["\(key).minutes"] ?? "",
                        calendars: calendars.map { OptionView(value: $0, label: $0, selected: $0 == chosen) }
                    )
                }
            )
        }
        pausing = TicketStatus.allCases.filter(\.isOpen)
            .map {
                Check(
                    key: "pause.\($0.rawValue)",
                    label: StatusLabel.text($0),
                    checked: form.values["pause.\($0.rawValue)"] != nil
                )
            }
        warningPercent = form.values["warningPercent"] ?? "75"
        escalation = SLAAlarm.Level.allCases.flatMap { level in
            SLAEscalationAction.allCases.map { action in
                let key = "escalate.\(level.rawValue).\(action.rawValue)"
                return Check(key: key, label: "\(level.rawValue): \(action.rawValue)", checked: form.values[key] != nil)
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
