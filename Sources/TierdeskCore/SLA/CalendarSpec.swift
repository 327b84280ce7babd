import Foundation

/// A business calendar as admins write it in JSON: a time zone, weekly windows as `HH:MM` text and
/// holidays as `YYYY-MM-DD` (once) or `MM-DD` (every year). The SLA preview, the calendar API and the
/// stored SLA settings all use this shape; every value stays text until ``calendar(field:)`` checks it,
/// so errors can name the field.
public struct CalendarSpec: Codable, Sendable, Equatable {
    public struct Window: Codable, Sendable, Equatable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    public var timeZone: String
    public var weekly: [String: [Window]]
    public var holidays: [String]?

    public init(timeZone: String, weekly: [String: [Window]], holidays: [String]? = nil) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
    }

    /// The spec of a calendar: holidays sorted, yearly ones after the one-off dates.
    public init(_ calendar: BusinessCalendar) {
        timeZone = calendar.timeZone.identifier
        weekly = Dictionary(
            uniqueKeysWithValues: calendar.weekly.map { day, windows in
                (day.rawValue, windows.map { Window(start: Self.text($0.start), end: Self.text($0.end)) })
            }
        )
        holidays =
            calendar.holidays.sorted().map(\.description)
            + calendar.yearlyHolidays.sorted { ($0.month, $0.day) < ($1.month, $1.day) }.map(\.description)
    }

    /// Checks every value and builds the calendar; `field` prefixes the names in errors.
    public func calendar(field: String = "calendar") throws(ValidationFailure) -> BusinessCalendar {
        var errors: [FieldError] = []
        var days: [Weekday: [OpeningWindow]] = [:]
        for (key, windows) in weekly {
            guard let day = Weekday(rawValue: key) else {
                errors.append(
                    FieldError(
                        field: "\(field).weekly.\(key.prefix(20))",
                        message: "must be one of mon, tue, wed, thu, fri, sat, sun"
                    )
                )
                continue
            }
            days[day] = windows.enumerated()
                .compactMap { index, window in
                    let start = OpeningWindow.minutes(window.start)
                    let end = OpeningWindow.minutes(window.end)
                    if start == nil {
                        errors.append(
                            FieldError(field: "\(field).weekly.\(key)[\(index)].start", message: "must be a time HH:MM")
                        )
                    }
                    if end == nil {
                        errors.append(
                            FieldError(
                                field: "\(field).weekly.\(key)[\(index)].end",
                                message: "must be a time HH:MM (24:00 ends the day)"
                            )
                        )
                    }
                    guard let start, let end else { return nil }
                    return OpeningWindow(start: start, end: end)
                }
        }
        var once: Set<LocalDate> = []
        var yearly: Set<BusinessCalendar.MonthDay> = []
        for (index, text) in (holidays ?? []).enumerated() {
            if let date = LocalDate(text) {
                once.insert(date)
            } else if let day = BusinessCalendar.MonthDay(text) {
                yearly.insert(day)
            } else {
                errors.append(
                    FieldError(
                        field: "\(field).holidays[\(index)]",
                        message: "must be a date YYYY-MM-DD, or MM-DD for every year"
                    )
                )
            }
        }
        let calendar: BusinessCalendar
        do {
            calendar = try BusinessCalendar(
                timeZone: timeZone,
                weekly: days,
                holidays: once,
                yearlyHolidays: yearly,
                field: field
            )
        } catch {
            throw ValidationFailure(errors + error.errors)
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return calendar
    }

    static func text(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }
}
