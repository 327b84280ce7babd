import Foundation

/// The stretch of time a report covers: a day, an ISO week, a calendar month, or a custom run of days,
/// each from local midnight to local midnight in an IANA time zone (so a day across a DST change is 23 or
/// 25 hours long).
public struct ReportPeriod: Sendable, Equatable {
    public enum Kind: String, StringEnum, Sendable {
        case day, week, month, custom
    }

    public var kind: Kind
    /// The first local day in the period.
    public var first: LocalDate
    /// The last local day in the period (inclusive).
    public var last: LocalDate
    public var timeZone: TimeZone

    /// Longest custom period, in days.
    public static let maxCustomDays = 400

    init(kind: Kind, first: LocalDate, last: LocalDate, timeZone: TimeZone) {
        self.kind = kind
        self.first = first
        self.last = last
        self.timeZone = timeZone
    }

    /// The period of `kind` that holds `instant` in `timeZone`; a custom kind gives the day.
    public static func containing(_ instant: Date, kind: Kind, in timeZone: TimeZone) -> ReportPeriod {
        let day = ZonedTime.localDate(of: instant, in: timeZone)
        switch kind {
        case .day, .custom:
            return ReportPeriod(kind: .day, first: day, last: day, timeZone: timeZone)
        case .week:
            let monday = day.adding(days: -Weekday.allCases.firstIndex(of: day.weekday)!)
            return ReportPeriod(kind: .week, first: monday, last: monday.adding(days: 6), timeZone: timeZone)
        case .month:
            return month(year: day.year, month: day.month, in: timeZone)
        }
    }

    /// The `days` local days up to and including the one that holds `instant`, as a custom period.
    public static func last(_ days: Int, endingAt instant: Date, in timeZone: TimeZone) -> ReportPeriod {
        let today = ZonedTime.localDate(of: instant, in: timeZone)
        return ReportPeriod(kind: .custom, first: today.adding(days: 1 - max(days, 1)), last: today, timeZone: timeZone)
    }

    /// The custom period from the first day of `from` to the last day of `until`.
    public static func spanning(_ from: ReportPeriod, _ until: ReportPeriod) -> ReportPeriod {
        ReportPeriod(kind: .custom, first: from.first, last: until.last, timeZone: from.timeZone)
    }

    /// Reads `2026-11-04` (a day), `2026-W47` (an ISO week), `2026-11` (a month) or
    /// `2026-11-01..2026-11-15` (custom, both days included).
    public init(parsing text: String, in timeZone: TimeZone) throws(ValidationFailure) {
        let text = text.trimmingWhitespace()
        func refuse(_ message: String) -> ValidationFailure { ValidationFailure(field: "period", message: message) }
        if text.contains("..") {
            let parts = text.components(separatedBy: "..")
            guard parts.count == 2, let first = LocalDate(parts[0]), let last = LocalDate(parts[1]) else {
                throw refuse("a custom period is two days such as 2026-11-01..2026-11-15")
            }
            guard first <= last else { throw refuse("the period's first day comes after its last") }
            guard last.daysSinceEpoch - first.daysSinceEpoch < Self.maxCustomDays else {
                throw refuse("a custom period may span at most \(Self.maxCustomDays) days")
            }
            self.init(kind: .custom, first: first, last: last, timeZone: timeZone)
        } else if text.uppercased().contains("W") {
            guard let week = IsoWeek(text) else { throw refuse("a week is written like 2026-W47") }
            self.init(kind: .week, first: week.monday, last: week.monday.adding(days: 6), timeZone: timeZone)
        } else if let day = LocalDate(text) {
            self.init(kind: .day, first: day, last: day, timeZone: timeZone)
        } else {
            let parts = text.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
                let month = Int(parts[1]), (1...12).contains(month), year >= 1970
            else {
                throw refuse(
                    "must be a day (2026-11-04), an ISO week (2026-W47), a month (2026-11) or two days joined by .."
                )
            }
            self = Self.month(year: year, month: month, in: timeZone)
        }
    }

    static func month(year: Int, month: Int, in timeZone: TimeZone) -> ReportPeriod {
        let first = LocalDate(year: year, month: month, day: 1)
        let next =
            month == 12 ? LocalDate(year: year + 1, month: 1, day: 1) : LocalDate(year: year, month: month + 1, day: 1)
        return ReportPeriod(kind: .month, first: first, last: next.adding(days: -1), timeZone: timeZone)
    }

    /// The instant the period starts: local midnight of its first day.
    public var start: Date { ZonedTime.instant(first, minutes: 0, in: timeZone) }
    /// The instant after the period: local midnight after its last day.
    public var end: Date { ZonedTime.instant(last.adding(days: 1), minutes: 0, in: timeZone) }
    /// Whether `instant` falls in the period.
    public func contains(_ instant: Date) -> Bool { instant >= start && instant < end }

    /// The local day of `instant` in `zone`, counted from 1970-01-01.
    public static func dayNumber(of instant: Date, in zone: TimeZone) -> Int {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return Int((local / 86_400).rounded(.down))
    }

    /// The local days the period covers, counted as ``dayNumber(of:in:)`` does.
    public var days: Range<Int> { first.daysSinceEpoch..<(last.daysSinceEpoch + 1) }

    /// The period of the same kind just before this one; a custom period gives one as long.
    public var previous: ReportPeriod {
        switch kind {
        case .day, .week, .custom:
            let length = last.daysSinceEpoch - first.daysSinceEpoch + 1
            return ReportPeriod(
                kind: kind,
                first: first.adding(days: -length),
                last: first.adding(days: -1),
                timeZone: timeZone
            )
        case .month:
            return first.month == 1
                ? Self.month(year: first.year - 1, month: 12, in: timeZone)
                : Self.month(year: first.year, month: first.month - 1, in: timeZone)
        }
    }

    /// The period of the same kind just after this one.
    public var next: ReportPeriod {
        switch kind {
        case .day, .week, .custom:
            let length = last.daysSinceEpoch - first.daysSinceEpoch + 1
            return ReportPeriod(
                kind: kind,
                first: last.adding(days: 1),
                last: last.adding(days: length),
                timeZone: timeZone
            )
        case .month:
            return last.month == 12
                ? Self.month(year: first.year + 1, month: 1, in: timeZone)
                : Self.month(year: first.year, month: first.month + 1, in: timeZone)
        }
    }

    /// `count` periods ending with this one, oldest first.
    public func trailing(_ count: Int) -> [ReportPeriod] {
        var periods = [self]
        while periods.count < count { periods.insert(periods[0].previous, at: 0) }
        return periods
    }

    /// A short name for chart axes: `2026-11`, `W47`, `11-04`, or a custom period's first day.
    public var shortLabel: String {
        switch kind {
        case .month: label
        case .week: String(label.suffix(3))
        case .day, .custom: String(format: "%02d-%02d", first.month, first.day)
        }
    }

    /// How the period is written: the form ``init(parsing:in:)`` reads.
    public var label: String {
        switch kind {
        case .day: first.description
        case .week: IsoWeek(containing: Date(timeIntervalSince1970: Double(first.daysSinceEpoch) * 86_400)).description
        case .month: String(format: "%04d-%02d", first.year, first.month)
        case .custom: "\(first)..\(last)"
        }
    }
}
