import Foundation
import TierdeskCore
import TierdeskStore

/// The shifts of a calendar feed: a schedule's (both roles), or a person's across every schedule, from one
/// to five weeks back (see ``range(at:)``) to ``weeksAhead`` weeks ahead.
struct CalendarFeeds {
    let clock: any Clock
    let directory: DirectoryRepository
    let oncall: OnCallRepository

    static let weeksAhead = 12
    /// The grid the feed's start moves on.
    static let startGrid: TimeInterval = 28 * 86_400

    /// The range a feed covers at `now`. A shift running at the range's start is cut there, and an
    /// event's UID names its start; so the start moves on a fixed four-week grid, not with every fetch,
    /// and calendar clients keep seeing the same events.
    static func range(at now: Date) -> Range<Date> {
        let weekBack = now.timeIntervalSince1970 - 7 * 86_400
        let start = Date(timeIntervalSince1970: (weekBack / startGrid).rounded(.down) * startGrid)
        return start..<now.addingTimeInterval(Double(weeksAhead) * 7 * 86_400)
    }

    /// The feed a token opens, as iCalendar text; an unknown or replaced token is "not found".
    func render(token: String) async throws -> String {
        guard let subject = try await oncall.feedSubject(tokenHash: Secrets.hash(token)) else {
            throw TierdeskError.notFound("No calendar feed has this address; it may have been replaced by a newer one.")
        }
        return try await render(subject)
    }

    func render(_ subject: OnCallRepository.FeedSubject) async throws -> String {
        let now = clock.now()
        let range = Self.range(at: now)
        let schedules: [OnCallSchedule]
        let name: String
        switch subject {
        case .schedule(let id):
            schedules = try await oncall.schedules([id], from: range.lowerBound, until: range.upperBound).values
                .map { $0 }
            name = "On call: " + (schedules.first?.name ?? "schedule")
        case .person(let id):
            schedules = try await oncall.schedules(nil, from: range.lowerBound, until: range.upperBound).values
                .sorted { $0.name < $1.name }
            name = "On call: " + (try await directory.person(id)?.name ?? "person")
        }
        var shifts: [(OnCallSchedule, OnCallShift)] = []
        for schedule in schedules {
            for role in OnCallRole.allCases {
                for shift in schedule.shifts(role, in: range) {
                    if case .person(let id) = subject, shift.personID != id { continue }
                    shifts.append((schedule, shift))
                }
            }
        }
        let names = Dictionary(
            try await directory.people(ids: Set(shifts.map(\.1.personID))).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a }
        )
        let events = shifts.sorted { $0.1.start < $1.1.start }
            .map { schedule, shift in
                ICalendarFeed.Event(
                    uid:
                        "\(schedule.id.uuidString.lowercased())-\(shift.role.rawValue)-\(shift.personID.uuidString.lowercased())-\(Int(shift.start.timeIntervalSince1970))@tierdesk",
                    start: shift.start,
                    end: shift.end,
                    summary: "\(schedule.name): \(shift.role.rawValue) – \(names[shift.personID] ?? "someone")",
                    description:
                        "On call as \(shift.role.rawValue) for \(schedule.name) (\(schedule.timeZone.identifier))."
                )
            }
        return ICalendarFeed.render(name: name, events: events, stamp: now)
    }
}
