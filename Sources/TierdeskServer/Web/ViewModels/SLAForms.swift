import Foundation
import TierdeskCore

/// The calendar form: a name, a time zone, each day's windows as `08:00-12:00, 13:00-17:00`, and
/// holidays one per line. Turned into the same ``CalendarSpec`` the API takes, so the same checks apply.
struct CalendarForm {
    var name = ""
    var timeZone = "Europe/Berlin"
    var days: [String: String] = [:]
    var holidays = ""

    init() {}

    init(name: String, calendar: BusinessCalendar) {
        let spec = CalendarSpec(calendar)
        self.name = name
        timeZone = spec.timeZone
        days = spec.weekly.mapValues(Self.windowsText)
        holidays = (spec.holidays ?? []).joined(separator: "\n")
    }

    init(_ values: [String: String]) {
        name = (values["name"] ?? "").trimmingWhitespace()
        timeZone = (values["timeZone"] ?? "").trimmingWhitespace()
        for day in Weekday.allCases { days[day.rawValue] = values["day.\(day.rawValue)"] ?? "" }
        holidays = values["holidays"] ?? ""
    }

    func spec() throws -> CalendarSpec {
        var weekly: [String: [CalendarSpec.Window]] = [:]
        var errors: [FieldError] = []
        for (day, text) in days where !text.trimmingWhitespace().isEmpty {
            weekly[day] = text.split(separator: ",")
                .compactMap { part in
                    let bounds = part.split(separator: "-").map { String($0).trimmingWhitespace() }
                    guard bounds.count == 2 else {
                        errors.append(
                            FieldError(
                                field: "calendar.weekly.\(day)",
                                message: "must list windows as HH:MM-HH:MM, separated by commas"
                            )
                        )
                        return nil
                    }
                    return CalendarSpec.Window(start: bounds[0], end: bounds[1])
                }
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let dates = holidays.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
        return CalendarSpec(timeZone: timeZone, weekly: weekly, holidays: dates)
    }

    static func windowsText(_ windows: [CalendarSpec.Window]) -> String {
        windows.map { "\($0.start)-\($0.end)" }.joined(separator: ", ")
    }
}

/// The policy form: a name, a scope, minutes and calendar per priority and clock, the pausing
/// statuses, the warning share in percent and the escalation actions per level, as flat form values.
struct PolicyForm {
    var name = ""
    var scope = ""
    /// The form's values by field name (`P1.firstResponse.minutes`, `pause.on_hold`, …).
    var values: [String: String] = ["pause.pending_customer": "on", "pause.on_hold": "on", "warningPercent": "75"]

    init() {}

    init(_ policy: SLAPolicy) {
        name = policy.name
        switch policy.scope {
        case .everyone: scope = ""
        case .service(let id): scope = "service:\(id.uuidString)"
        case .organisation(let id): scope = "organisation:\(id.uuidString)"
        }
        values = [:]
        for (priority, clocks) in policy.targets {
            for (clock, target) in clocks {
                values["\(Self.key(priority, clock)).minutes"] = String(target.minutes)
                values["\(Self.key(priority, clock)).calendar"] = target.calendar
            }
        }
        for status in policy.pausingStatuses { values["pause.\(status.rawValue)"] = "on" }
        values["warningPercent"] = String(Int((policy.warningShare * 100).rounded()))
        for (level, actions) in policy.escalation {
            for action in actions { values["escalate.\(level.rawValue).\(action.rawValue)"] = "on" }
        }
    }

    init(_ values: [String: String]) {
        name = (values["name"] ?? "").trimmingWhitespace()
        scope = values["scope"] ?? ""
        self.values = values
    }

    static func key(_ priority: Priority, _ clock: SLAClockKind) -> String { "\(priority.rawValue).\(clock.rawValue)" }

    func spec() throws -> SLAPolicySpec {
        var errors: [FieldError] = []
        var targets: [String: [String: SLATarget]] = [:]
        for priority in Priority.allCases {
            for clock in SLAClockKind.allCases {
                let key = Self.key(priority, clock)
                let text = (values["\(key).minutes"] ?? "").trimmingWhitespace()
                guard !text.isEmpty else { continue }
                guard let minutes = Int(text) else {
                    errors.append(
                        FieldError(field: "policy.targets.\(key).minutes", message: "must be a whole number of minutes")
                    )
                    continue
                }
                targets[priority.rawValue, default: [:]][clock.rawValue] = SLATarget(
                    minutes: minutes,
                    calendar: values["\(key).calendar"] ?? BusinessCalendar.twentyFourSevenName
                )
            }
        }
        let percent = Double((values["warningPercent"] ?? "").trimmingWhitespace())
            .flatMap { (1...99).contains($0) ? $0 : nil }
        if percent == nil {
            errors.append(
                FieldError(field: "policy.warningShare", message: "must be a percentage from 1 to 99, such as 75")
            )
        }
        var scopeSpec: SLAPolicySpec.Scope?
        if !scope.isEmpty {
            let parts = scope.split(separator: ":", maxSplits: 1).map(String.init)
            let id = parts.count == 2 ? UUID(uuidString: parts[1]) : nil
            switch (parts.first, id) {
            case ("service", let id?): scopeSpec = .init(serviceId: id)
            case ("organisation", let id?): scopeSpec = .init(organisationId: id)
            default:
                errors.append(
                    FieldError(field: "policy.scope", message: "must be a service or an organisation from the list")
                )
            }
        }
        guard errors.isEmpty, let percent else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return SLAPolicySpec(
            scope: scopeSpec,
            targets: targets,
            pausingStatuses: TicketStatus.allCases.filter { values["pause.\($0.rawValue)"] != nil }.map(\.rawValue),
            warningShare: percent / 100,
            escalation: Dictionary(
                uniqueKeysWithValues: SLAAlarm.Level.allCases.map { level in
                    (
                        level.rawValue,
                        SLAEscalationAction.allCases
                            .filter { values["escalate.\(level.rawValue).\($0.rawValue)"] != nil }.map(\.rawValue)
                    )
                }
            )
        )
    }
}
