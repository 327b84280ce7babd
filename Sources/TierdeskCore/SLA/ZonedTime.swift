import Foundation
import Synchronization

/// Turning local wall-clock times into instants in an IANA time zone.
enum ZonedTime {
    /// The instant of `minutes` after local midnight on `date`. An ambiguous local time (clocks going back)
    /// means its first occurrence; a local time skipped by clocks going forward moves forward by the gap.
    static func instant(_ date: LocalDate, minutes: Int, in zone: TimeZone) -> Date {
        let naive = Double(date.daysSinceEpoch * 86_400 + minutes * 60)
        let before = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - 86_400)))
        let after = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + 86_400)))
        // No change of offset within a day either side: the common case, one answer.
        if before == after { return Date(timeIntervalSince1970: naive - before) }
        let early = Date(timeIntervalSince1970: naive - before)
        let late = Date(timeIntervalSince1970: naive - after)
        let earlyValid = Double(zone.secondsFromGMT(for: early)) == before
        let lateValid = Double(zone.secondsFromGMT(for: late)) == after
        switch (earlyValid, lateValid) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        // In a gap: read with the offset before it, which lands the gap's length later on the new clock.
        case (false, false): return early
        }
    }

    /// Local times to instants for a walk forward in time: while no offset change is within a day, the
    /// offset is reused instead of asking the time zone again; near a change, ``instant(_:minutes:in:)`` decides.
    struct Offsets {
        let zone: TimeZone
        private var offset: Double
        /// Instants before this have the cached offset, with a day to spare before the next change.
        private var safeUntil: Double
        private var safeFrom: Double

        init(zone: TimeZone, from start: Date) {
            self.zone = zone
            offset = 0
            safeUntil = -.infinity
            safeFrom = .infinity
            reset(at: start)
        }

        private mutating func reset(at instant: Date) {
            let (offset, change) = ZoneTransitions.shared.offset(at: instant, in: zone)
            self.offset = offset
            safeFrom = instant.timeIntervalSince1970 + 86_400
            safeUntil = change - 86_400
        }

        mutating func instant(_ date: LocalDate, minutes: Int) -> Date {
            let candidate = Double(date.daysSinceEpoch * 86_400 + minutes * 60) - offset
            if candidate >= safeFrom, candidate < safeUntil { return Date(timeIntervalSince1970: candidate) }
            let exact = ZonedTime.instant(date, minutes: minutes, in: zone)
            if exact.timeIntervalSince1970 >= safeUntil { reset(at: exact.addingTimeInterval(-86_400)) }
            return exact
        }
    }

    /// The local date of an instant.
    static func localDate(of instant: Date, in zone: TimeZone) -> LocalDate {
        LocalTime(instant, in: zone).date
    }
}

/// An instant read on a local clock: the date and the minutes after midnight, with the offset from the
/// time zone's table of changes.
struct LocalTime {
    var date: LocalDate
    var minutes: Int

    init(_ instant: Date, in zone: TimeZone) {
        let offset = ZoneTransitions.shared.offset(at: instant, in: zone).offset
        let local = Int((instant.timeIntervalSince1970 + offset).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        date = LocalDate(daysSinceEpoch: days)
        minutes = (local - days * 86_400) / 60
    }
}

/// Each time zone's offset changes from 1970 to 2100, read once per zone and process, so walking a
/// calendar does not ask the time zone database at every step.
final class ZoneTransitions: Sendable {
    static let shared = ZoneTransitions()

    private struct Table: Sendable {
        /// Instants (seconds since 1970) from which `offsets` hold; the first is the table's start.
        var starts: [Double]
        var offsets: [Double]
        var end: Double
    }

    private static let from = Date(timeIntervalSince1970: 0)
    private static let until = Date(timeIntervalSince1970: 4_102_444_800)
    private let tables = Mutex<[String: Table]>([:])

    /// The offset in force at `instant` and when it next changes (+infinity if never).
    func offset(at instant: Date, in zone: TimeZone) -> (offset: Double, nextChange: Double) {
        let table = self.table(for: zone)
        let x = instant.timeIntervalSince1970
        guard x >= table.starts[0], x < table.end else {
            return (
                Double(zone.secondsFromGMT(for: instant)),
                zone.nextDaylightSavingTimeTransition(after: instant)?.timeIntervalSince1970 ?? .infinity
            )
        }
        var low = 0
        var high = table.starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if table.starts[middle] <= x { low = middle } else { high = middle - 1 }
        }
        return (table.offsets[low], low + 1 < table.starts.count ? table.starts[low + 1] : table.end)
    }

    private func table(for zone: TimeZone) -> Table {
        if let table = tables.withLock({ $0[zone.identifier] }) { return table }
        // Sample every two weeks and find each change to the second: this also catches changes of a zone's
        // standard offset, which are not daylight-saving transitions.
        let offsetAt = { (seconds: Double) in Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))) }
        var starts = [Self.from.timeIntervalSince1970]
        var offsets = [offsetAt(starts[0])]
        var previous = starts[0]
        var sample = previous + 1_209_600
        while sample < Self.until.timeIntervalSince1970 {
            let current = offsetAt(sample)
            if current != offsets[offsets.count - 1] {
                var low = previous
                var high = sample
                while high - low > 1 {
                    let middle = ((low + high) / 2).rounded(.down)
                    if offsetAt(middle) == current { high = middle } else { low = middle }
                }
                starts.append(high)
                offsets.append(current)
            }
            previous = sample
            sample += 1_209_600
        }
        let table = Table(starts: starts, offsets: offsets, end: Self.until.timeIntervalSince1970)
        tables.withLock { $0[zone.identifier] = table }
        return table
    }
}

/// Local date-times as forms send them (`2026-11-17T20:00`, an HTML `datetime-local` value), read and
/// written in an IANA time zone.
public enum LocalDateTime {
    /// The instant of a local date-time; nil if the text is not `YYYY-MM-DDTHH:MM`. A time in the hour
    /// clocks skip or repeat is read as ``ZonedTime`` reads it.
    public static func instant(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(String(parts[0])) else { return nil }
        guard let minutes = OpeningWindow.minutes(String(parts[1])), minutes < 1440 else { return nil }
        return ZonedTime.instant(date, minutes: minutes, in: zone)
    }

    /// An instant as a local date-time, to the minute.
    public static func text(_ instant: Date, in zone: TimeZone) -> String {
        let local = LocalTime(instant, in: zone)
        return "\(local.date)T" + String(format: "%02d:%02d", local.minutes / 60, local.minutes % 60)
    }
}
