import Foundation

/// A calendar month such as `2026-11`, read in a time zone: time off in lieu is summed per month.
public struct CalendarMonth: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(year: Int, month: Int) {
        guard (1970...2099).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The month an instant falls in on the local calendar of `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        let date = LocalTime(instant, in: zone).date
        year = date.year
        month = date.month
    }

    public var next: CalendarMonth {
        month == 12 ? CalendarMonth(unchecked: year + 1, 1) : CalendarMonth(unchecked: year, month + 1)
    }

    public var previous: CalendarMonth {
        month == 1 ? CalendarMonth(unchecked: year - 1, 12) : CalendarMonth(unchecked: year, month - 1)
    }

    /// From local midnight on the first to local midnight on the first of the next month.
    public func range(in zone: TimeZone) -> Range<Date> {
        let start = ZonedTime.instant(LocalDate(year: year, month: month, day: 1), minutes: 0, in: zone)
        let end = ZonedTime.instant(LocalDate(year: next.year, month: next.month, day: 1), minutes: 0, in: zone)
        return start..<end
    }

    public var description: String { String(format: "%04d-%02d", year, month) }

    public static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }
}
