import Foundation

/// A calendar date without a time zone, e.g. a holiday.
public struct LocalDate: Hashable, Sendable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or a day that does not exist.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            LocalDate.isValid(year: year, month: month, day: day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        self.init(year: year, month: month, day: day)
    }

    /// Monday is 0, Sunday 6.
    public var weekday: Weekday {
        let days = daysSinceEpoch
        // 1970-01-01 was a Thursday (index 3).
        return Weekday.allCases[((days % 7) + 7 + 3) % 7]
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}

extension LocalDate: CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// A day of the week, Monday first, keyed as in calendar JSON (`mon` … `sun`).
public enum Weekday: String, StringEnum, Sendable {
    case mon, tue, wed, thu, fri, sat, sun
}

extension LocalDate {
    /// The day an instant falls on in `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        self = LocalTime(instant, in: zone).date
    }

    /// Local midnight at the start of the day in `zone`.
    public func start(in zone: TimeZone) -> Date {
        ZonedTime.instant(self, minutes: 0, in: zone)
    }
}
