import Foundation

/// RFC 3339 timestamps in UTC, as used in the API and in event values.
public enum Timestamp {
    /// `2026-03-06T21:30:00Z`.
    public static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    /// Parses `2026-03-06T21:30:00Z`, with or without fractional seconds, or with an offset.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
