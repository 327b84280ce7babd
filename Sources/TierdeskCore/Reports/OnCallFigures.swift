import Foundation

/// The on-call figures of a period: who was paged how often, how fast pages were acknowledged, and the
/// out-of-hours load each person carried (the time off in lieu they are owed).
public struct OnCallFigures: Sendable, Equatable {
    /// One person's share of the period's paging and out-of-hours work.
    public struct Person: Sendable, Equatable {
        public var personID: UUID
        /// Page notifications the person received in the period.
        public var notifications: Int
        /// Pages started in the period that the person acknowledged.
        public var acknowledged: Int
        /// Out-of-hours time on pages and Sev1/Sev2 work in the period, overlaps once.
        public var outOfHoursSeconds: TimeInterval
    }

    /// Pages that notified someone in the period.
    public var pagesNotified: Int
    /// Pages started in the period and acknowledged.
    public var acknowledged: Int
    /// Mean seconds from a page's start to its acknowledgement, over `acknowledged`; nil without any.
    public var meanSecondsToAcknowledge: Double?
    /// Everyone paged, acknowledging or owed time, most notified first.
    public var people: [Person]

    /// Works the figures out of the period's notifications, the pages acknowledged around it and the
    /// out-of-hours lines of the same range.
    public init(
        notifications: [PageEvent],
        acknowledgedPages: [OnCallPage],
        outOfHours: [TimeOffInLieu.Line],
        period: ReportPeriod
    ) {
        let notifications = notifications.filter { $0.kind == .notified && period.contains($0.at) }
        let answered = acknowledgedPages.filter { period.contains($0.startedAt) && $0.acknowledgedAt != nil }
        pagesNotified = Set(notifications.map(\.pageID)).count
        acknowledged = answered.count
        meanSecondsToAcknowledge =
            answered.isEmpty
            ? nil
            : answered.reduce(0) { $0 + $1.acknowledgedAt!.timeIntervalSince($1.startedAt) } / Double(answered.count)
        var people: [UUID: Person] = [:]
        func person(_ id: UUID) -> Person {
            people[id] ?? Person(personID: id, notifications: 0, acknowledged: 0, outOfHoursSeconds: 0)
        }
        for event in notifications {
            guard let id = event.personID else { continue }
            people[id] = person(id)
            people[id]!.notifications += 1
        }
        for page in answered {
            guard let id = page.acknowledgedBy else { continue }
            people[id] = person(id)
            people[id]!.acknowledged += 1
        }
        for line in outOfHours where line.totalSeconds > 0 {
            people[line.personID] = person(line.personID)
            people[line.personID]!.outOfHoursSeconds = line.totalSeconds
        }
        self.people = people.values.sorted {
            ($1.notifications, $1.outOfHoursSeconds, $0.personID.uuidString)
                < ($0.notifications, $0.outOfHoursSeconds, $1.personID.uuidString)
        }
    }
}
