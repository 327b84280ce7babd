import Foundation

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

    /// The local date of an instant.
    static func localDate(of instant: Date, in zone: TimeZone) -> LocalDate {
        let local = Int((instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return LocalDate(daysSinceEpoch: days)
    }
}
