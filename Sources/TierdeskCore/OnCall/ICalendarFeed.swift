import Foundation

/// An RFC 5545 calendar of on-call shifts: CRLF line ends, lines folded at 75 octets without splitting a
/// character, text values escaped, times in UTC.
public enum ICalendarFeed {
    public struct Event: Sendable, Equatable {
        /// Stable across renderings, so calendar apps update a shift instead of adding it again.
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String?

        public init(uid: String, start: Date, end: Date, summary: String, description: String? = nil) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.description = description
        }
    }

    /// The whole calendar; `stamp` is the DTSTAMP of every event (when the feed was made).
    public static func render(name: String, events: [Event], stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tierdesk//On-call//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text(name), "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        ]
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + text(event.uid))
            lines.append("DTSTAMP:" + utc(stamp))
            lines.append("DTSTART:" + utc(event.start))
            lines.append("DTEND:" + utc(event.end))
            lines.append("SUMMARY:" + text(event.summary))
            if let description = event.description { lines.append("DESCRIPTION:" + text(description)) }
            lines.append("TRANSP:OPAQUE")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261122T090000Z`: the RFC 3339 form without its separators.
    static func utc(_ date: Date) -> String {
        Timestamp.format(date).filter { $0 != "-" && $0 != ":" }
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`, other controls dropped.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in value.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r": out += "\\n"
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line into pieces of at most 75 octets, each continuation starting with a space.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = character.utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if octets + size > limit {
                pieces.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
