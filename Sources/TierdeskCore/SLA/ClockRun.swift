import Foundation

/// The one rule for a clock that runs only in some stretches of time (between pauses): it reaches its
/// target where the open calendar time inside the stretches adds up to it. A pause never gives back or
/// takes away time already used, and a target reached before a pause stays reached.
/// Used by the SLA preview and by ticket clocks alike.
enum ClockRun {
    enum Outcome: Equatable {
        /// The target was reached at this instant, inside a stretch (an open last stretch always reaches it).
        case reached(Date)
        /// Every stretch ended before the target was reached; this much open time is left.
        case unreached(remaining: TimeInterval)
    }

    static func run(
        seconds target: TimeInterval,
        over stretches: [(start: Date, end: Date?)],
        in calendar: BusinessCalendar
    ) -> Outcome {
        var remaining = max(0, target)
        for (start, end) in stretches {
            let reached = calendar.adding(seconds: remaining, to: start)
            guard let end, reached > end else { return .reached(reached) }
            remaining -= calendar.openSeconds(from: start, to: end)
        }
        return .unreached(remaining: remaining)
    }
}
