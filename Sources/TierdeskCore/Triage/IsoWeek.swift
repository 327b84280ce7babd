import Foundation

/// An ISO 8601 week such as `2026-W47`: Monday to Sunday, week 1 holds the year's first Thursday.
/// Triage runs by these weeks, in UTC.
public struct IsoWeek: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var year: Int
    public var week: Int

    public init?(year: Int, week: Int) {
        guard (1...IsoWeek.weeks(in: year)).contains(week) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www`.
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].hasPrefix("W"),
            parts[1].count == 3,
            let week = Int(parts[1].dropFirst())
        else { return nil }
        self.init(year: year, week: week)
    }

    /// The week an instant falls in (UTC).
    public init(containing instant: Date) {
        let date = LocalDate(daysSinceEpoch: Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)))
        // The Thursday of the same week decides the year.
        let thursday = date.adding(days: 3 - Weekday.allCases.firstIndex(of: date.weekday)!)
        let first = IsoWeek.monday(ofWeekOne: thursday.year)
        year = thursday.year
        week = (thursday.daysSinceEpoch - first.daysSinceEpoch) / 7 + 1
    }

    /// Monday of the week.
    public var monday: LocalDate { IsoWeek.monday(ofWeekOne: year).adding(days: (week - 1) * 7) }
    /// The week's start, Monday 00:00 UTC.
    public var start: Date { Date(timeIntervalSince1970: Double(monday.daysSinceEpoch) * 86_400) }
    /// The next week's start.
    public var end: Date { start.addingTimeInterval(7 * 86_400) }

    public var description: String { String(format: "%04d-W%02d", year, week) }

    public static func < (lhs: IsoWeek, rhs: IsoWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    static func monday(ofWeekOne year: Int) -> LocalDate {
        let january4 = LocalDate(year: year, month: 1, day: 4)
        return january4.adding(days: -Weekday.allCases.firstIndex(of: january4.weekday)!)
    }

    static func weeks(in year: Int) -> Int {
        (monday(ofWeekOne: year + 1).daysSinceEpoch - monday(ofWeekOne: year).daysSinceEpoch) / 7
    }
}
