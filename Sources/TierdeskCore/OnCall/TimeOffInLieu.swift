import Foundation

/// Time off in lieu: the time on-call engineers spent on pages and on Sev1/Sev2 work outside
/// working hours, summed per person over a range (a month). Working hours are the open hours of a
/// business calendar; holidays count as out of hours. Stretches that overlap (a page and the work logged
/// on its ticket) count once.
public enum TimeOffInLieu {
    /// One person's sums over the range.
    public struct Line: Sendable, Equatable {
        public var personID: UUID
        /// Out-of-hours time on acknowledged pages.
        public var pageSeconds: TimeInterval
        /// Out-of-hours time logged on Sev1/Sev2 tickets.
        public var ticketSeconds: TimeInterval
        /// Out-of-hours time on either, overlaps counted once: the time owed.
        public var totalSeconds: TimeInterval
        /// Page notifications the person received out of hours.
        public var pagesOutOfHours: Int
    }

    /// Each person's line, for everyone with a stretch or a notification in the range, by person id.
    /// `notifications` are page events; only `notified` ones with a person count.
    public static func lines(
        spans: [WorkSpan],
        notifications: [PageEvent],
        hours: BusinessCalendar,
        in range: Range<Date>
    ) -> [Line] {
        let byPerson = Dictionary(
            grouping: spans.filter { $0.start < range.upperBound && $0.end > range.lowerBound },
            by: \.personID
        )
        let notified = notifications.filter { $0.kind == .notified && range.contains($0.at) }
        let people = Set(byPerson.keys).union(notified.compactMap(\.personID))
        return people.sorted { $0.uuidString < $1.uuidString }
            .map { person in
                let own = byPerson[person] ?? []
                let stretches = { (source: WorkSpan.Source?) in
                    own.filter { source == nil || $0.source == source }.map { $0.start..<max($0.start, $0.end) }
                }
                let pagesOutOfHours = notified.count { $0.personID == person && !isOpen(hours, at: $0.at) }
                return Line(
                    personID: person,
                    pageSeconds: outOfHours(stretches(.page), hours: hours, in: range),
                    ticketSeconds: outOfHours(stretches(.ticket), hours: hours, in: range),
                    totalSeconds: outOfHours(stretches(nil), hours: hours, in: range),
                    pagesOutOfHours: pagesOutOfHours
                )
            }
    }

    /// Out-of-hours time in the union of `stretches`, cut to `range`.
    public static func outOfHours(_ stretches: [Range<Date>], hours: BusinessCalendar, in range: Range<Date>)
        -> TimeInterval
    {
        merged(stretches, in: range)
            .reduce(0) { total, stretch in
                total + stretch.upperBound.timeIntervalSince(stretch.lowerBound)
                    - hours.openSeconds(from: stretch.lowerBound, to: stretch.upperBound)
            }
    }

    /// The stretches cut to `range`, overlapping or touching ones joined, in order.
    static func merged(_ stretches: [Range<Date>], in range: Range<Date>) -> [Range<Date>] {
        var result: [Range<Date>] = []
        for stretch in stretches.compactMap({ $0.overlaps(range) ? $0.clamped(to: range) : nil })
            .sorted(by: { $0.lowerBound < $1.lowerBound })
        {
            if let last = result.last, stretch.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, stretch.upperBound)
            } else {
                result.append(stretch)
            }
        }
        return result
    }

    private static func isOpen(_ hours: BusinessCalendar, at instant: Date) -> Bool {
        hours.openSeconds(from: instant, to: instant.addingTimeInterval(1)) > 0
    }
}
