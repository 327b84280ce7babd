import Foundation

/// Reads holidays from an iCalendar file (RFC 5545), as published by governments and calendar apps.
///
/// Each `VEVENT` closes the dates it covers: `DTSTART` up to `DTEND` (exclusive) or `DURATION` in days,
/// one day if neither is given. `RRULE:FREQ=YEARLY` without further rules makes a yearly holiday on the
/// start date; events with any other recurrence are listed as skipped, with the reason, rather than
/// guessed at.
public enum HolidayImport {
    /// What a file gave: dates closed once and every year, and the events that could not be used.
    public struct Result: Sendable, Equatable {
        public var dates: Set<LocalDate> = []
        public var yearly: Set<BusinessCalendar.MonthDay> = []
        public var skipped: [Skipped] = []
    }

    public struct Skipped: Sendable, Equatable {
        public var summary: String
        public var reason: String
    }

    /// The longest event taken as a run of holidays.
    static let longestEvent = 366
    /// Events read from one file at most.
    public static let maximumEvents = 5_000

    /// Parses the text of an `.ics` file; fails when it is not an iCalendar file at all.
    public static func parse(_ text: String) throws(ValidationFailure) -> Result {
        let lines = unfold(text)
        guard lines.first.map({ $0.uppercased() == "BEGIN:VCALENDAR" }) == true else {
            throw ValidationFailure(
                field: "file",
                message: "is not an iCalendar file: it must start with BEGIN:VCALENDAR"
            )
        }
        var result = Result()
        var event: [(name: String, params: String, value: String)]?
        var events = 0
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            let name = String(head.prefix { $0 != ";" }).uppercased()
            let params = String(head.dropFirst(name.count)).uppercased()
            if name == "BEGIN", value.uppercased() == "VEVENT" {
                event = []
            } else if name == "END", value.uppercased() == "VEVENT", let properties = event {
                events += 1
                guard events <= maximumEvents else {
                    throw ValidationFailure(field: "file", message: "has more than \(maximumEvents) events")
                }
                add(properties, to: &result)
                event = nil
            } else if event != nil {
                event!.append((name, params, value))
            }
        }
        return result
    }

    private static func add(_ properties: [(name: String, params: String, value: String)], to result: inout Result) {
        func value(_ name: String) -> String? { properties.first { $0.name == name }?.value }
        let summary = String(unescape(value("SUMMARY") ?? "(no summary)").prefix(200))
        func skip(_ reason: String) { result.skipped.append(Skipped(summary: summary, reason: reason)) }
        guard let startText = value("DTSTART"), let start = date(startText) else {
            return skip("DTSTART is missing or not a date")
        }
        var days = 1
        if let endText = value("DTEND") {
            guard let end = date(endText) else { return skip("DTEND is not a date") }
            let isDateOnly =
                properties.first { $0.name == "DTEND" }.map { $0.params.contains("VALUE=DATE") || endText.count == 8 }
                ?? true
            // A date-only end is exclusive; an end with a time closes the day it falls on too, unless at midnight.
            days =
                end.daysSinceEpoch - start.daysSinceEpoch
                + (isDateOnly || endText.hasSuffix("T000000") || endText.hasSuffix("T000000Z") ? 0 : 1)
        } else if let duration = value("DURATION") {
            guard let count = wholeDays(duration) else {
                return skip("DURATION \(duration.prefix(20)) is not a number of days")
            }
            days = count
        }
        guard (1...longestEvent).contains(days) else {
            return skip("lasts \(days) days; holidays last 1 to \(longestEvent)")
        }
        if let rule = value("RRULE") {
            let parts = Set(rule.uppercased().split(separator: ";").map(String.init))
            guard parts == ["FREQ=YEARLY"] || parts == ["FREQ=YEARLY", "INTERVAL=1"] else {
                return skip("repeats by a rule other than every year on the same date (\(rule.prefix(60)))")
            }
            for offset in 0..<days {
                let day = start.adding(days: offset)
                result.yearly.insert(BusinessCalendar.MonthDay(month: day.month, day: day.day))
            }
            return
        }
        for offset in 0..<days { result.dates.insert(start.adding(days: offset)) }
    }

    /// Joins folded lines (a line break followed by a space or tab continues the line).
    static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(
            omittingEmptySubsequences: true,
            whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        ) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else {
                lines.append(String(raw))
            }
        }
        return lines
    }

    /// The date of `YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`, as written (the local date of the event).
    static func date(_ text: String) -> LocalDate? {
        let digits = text.prefix(8)
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        guard text.count == 8 || (text.count >= 15 && text.dropFirst(8).first == "T") else { return nil }
        return LocalDate("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))")
    }

    /// Whole days of a duration such as `P1D` or `P2W`; nil for anything with hours or minutes.
    static func wholeDays(_ text: String) -> Int? {
        guard text.hasPrefix("P"), let unit = text.last, let count = Int(text.dropFirst().dropLast()), count >= 0 else {
            return nil
        }
        switch unit {
        case "D": return count
        case "W": return count * 7
        default: return nil
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\N", with: " ")
            .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\\\", with: "\\")
    }
}
