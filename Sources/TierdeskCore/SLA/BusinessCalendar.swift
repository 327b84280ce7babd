import Foundation

/// When a support team works: weekly opening windows in an IANA time zone, minus holidays.
/// All maths is on UTC instants; local times are resolved per day, so DST changes never shift a window.
public struct BusinessCalendar: Sendable, Equatable {
    public var timeZone: TimeZone
    /// Opening windows per weekday, sorted and not overlapping. A missing day is closed.
    public var weekly: [Weekday: [OpeningWindow]]
    /// One-off closed dates.
    public var holidays: Set<LocalDate>
    /// Dates closed every year, as (month, day).
    public var yearlyHolidays: Set<MonthDay>

    /// A date that recurs every year.
    public struct MonthDay: Hashable, Sendable, CustomStringConvertible {
        public var month: Int
        public var day: Int
        public init(month: Int, day: Int) {
            self.month = month
            self.day = day
        }

        /// Parses `MM-DD`; 02-29 is allowed (it closes leap days only).
        public init?(_ text: String) {
            guard text.count == 5, let date = LocalDate("2000-" + text) else { return nil }
            self.init(month: date.month, day: date.day)
        }

        /// `MM-DD`.
        public var description: String { String(format: "%02d-%02d", month, day) }
    }

    /// The name under which ``twentyFourSeven`` is built in.
    public static let twentyFourSevenName = "24x7"

    /// Open around the clock, every day.
    public static let twentyFourSeven = BusinessCalendar(
        uncheckedTimeZone: TimeZone(identifier: "UTC")!,
        weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [OpeningWindow(start: 0, end: 1440)]) })
    )

    init(
        uncheckedTimeZone timeZone: TimeZone,
        weekly: [Weekday: [OpeningWindow]],
        holidays: Set<LocalDate> = [],
        yearlyHolidays: Set<MonthDay> = []
    ) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
        self.yearlyHolidays = yearlyHolidays
    }

    /// Builds a calendar; windows must end after they start, must not overlap, and the week must open at least once.
    /// `field` prefixes the names in errors (e.g. `calendar`).
    public init(
        timeZone identifier: String,
        weekly: [Weekday: [OpeningWindow]],
        holidays: Set<LocalDate> = [],
        yearlyHolidays: Set<MonthDay> = [],
        field: String = "calendar"
    ) throws(ValidationFailure) {
        var errors: [FieldError] = []
        let zone = TimeZone(identifier: identifier)
        if zone == nil {
            errors.append(
                FieldError(field: "\(field).timeZone", message: "is not an IANA time zone such as Europe/Berlin")
            )
        }
        var sorted: [Weekday: [OpeningWindow]] = [:]
        for day in Weekday.allCases {
            guard let windows = weekly[day], !windows.isEmpty else { continue }
            for (index, window) in windows.enumerated() where window.end <= window.start {
                errors.append(
                    FieldError(field: "\(field).weekly.\(day.rawValue)[\(index)]", message: "must end after it starts")
                )
            }
            let ordered = windows.enumerated().sorted { $0.element.start < $1.element.start }
            for (previous, next) in zip(ordered, ordered.dropFirst()) where next.element.start < previous.element.end {
                errors.append(
                    FieldError(
                        field: "\(field).weekly.\(day.rawValue)[\(next.offset)]",
                        message: "overlaps another window of the same day"
                    )
                )
            }
            sorted[day] = ordered.map(\.element)
        }
        if sorted.isEmpty {
            errors.append(FieldError(field: "\(field).weekly", message: "must open at least once a week"))
        }
        guard errors.isEmpty, let zone else { throw ValidationFailure(errors) }
        self.init(uncheckedTimeZone: zone, weekly: sorted, holidays: holidays, yearlyHolidays: yearlyHolidays)
    }

    public func isHoliday(_ date: LocalDate) -> Bool {
        holidays.contains(date) || yearlyHolidays.contains(MonthDay(month: date.month, day: date.day))
    }

    /// Every open interval that ends after `start`, in order, clipped to begin no earlier than `start`.
    /// `body` returns false to stop. Gives up after ten years of closed days.
    func forEachOpenInterval(from start: Date, _ body: (Date, Date) -> Bool) {
        var date = ZonedTime.localDate(of: start, in: timeZone).adding(days: -1)
        var offsets = ZonedTime.Offsets(zone: timeZone, from: start.addingTimeInterval(-2 * 86_400))
        var closedDays = 0
        while closedDays < 3660 {
            defer { date = date.adding(days: 1) }
            guard !isHoliday(date), let windows = weekly[date.weekday] else {
                closedDays += 1
                continue
            }
            var opened = false
            for window in windows {
                let open = offsets.instant(date, minutes: window.start)
                let close =
                    window.end == 1440
                    ? offsets.instant(date.adding(days: 1), minutes: 0)
                    : offsets.instant(date, minutes: window.end)
                guard close > start, close > open else { continue }
                opened = true
                if !body(max(open, start), close) { return }
            }
            closedDays = opened ? 0 : closedDays + 1
        }
    }

    /// The instant at which `seconds` of open time have passed since `start`.
    /// Zero seconds is `start` itself, open or not.
    public func adding(seconds: TimeInterval, to start: Date) -> Date {
        guard seconds > 0 else { return start }
        if self == .twentyFourSeven { return start.addingTimeInterval(seconds) }
        var remaining = seconds
        var result = Date.distantFuture
        forEachOpenInterval(from: start) { open, close in
            let available = close.timeIntervalSince(open)
            if remaining <= available {
                result = open.addingTimeInterval(remaining)
                return false
            }
            remaining -= available
            return true
        }
        return result
    }

    /// Open seconds between two instants.
    public func openSeconds(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        if self == .twentyFourSeven { return end.timeIntervalSince(start) }
        var total: TimeInterval = 0
        forEachOpenInterval(from: start) { open, close in
            guard open < end else { return false }
            total += min(close, end).timeIntervalSince(open)
            return close < end
        }
        return total
    }
}
