import Foundation
import TierdeskCore
import TierdeskStore

/// The shifts of a calendar feed: a schedule's (both roles), or a person's across every schedule, from a
/// week back to ``weeksAhead`` weeks ahead.
enum CalendarFeeds {
    static let weeksAhead = 12

    static func render(_ subject: OnCallRepository.FeedSubject, _ environment: TierdeskEnvironment) async throws -> String {
        let now = environment.clock.now()
        let range = now.addingTimeInterval(-7 * 86_400)..<now.addingTimeInterval(Double(weeksAhead) * 7 * 86_400)
        let schedules: [OnCallSchedule]
        let name: String
        switch subject {
        case .schedule(let id):
            schedules = try await environment.oncall.schedules([id], from: range.lowerBound, until: range.upperBound).values.map { $0 }
            name = "On call: " + (schedules.first?.name ?? "schedule")
        case .person(let id):
            schedules = try await environment.oncall.schedules(nil, from: range.lowerBound, until: range.upperBound).values.sorted { $0.name < $1.name }
            name = "On call: " + (try await environment.directory.person(id)?.name ?? "person")
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
        let names = Dictionary(try await environment.directory.people(ids: Set(shifts.map(\.1.personID))).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let events = shifts.sorted { $0.1.start < $1.1.start }.map { schedule, shift in
            ICalendarFeed.Event(uid: "\(schedule.id.uuidString.lowercased())-\(shift.role.rawValue)-\(shift.personID.uuidString.lowercased())-\(Int(shift.start.timeIntervalSince1970))@tierdesk",
                                start: shift.start, end: shift.end,
                                summary: "\(schedule.name): \(shift.role.rawValue) – \(names[shift.personID] ?? "someone")",
                                description: "On call as \(shift.role.rawValue) for \(schedule.name) (\(schedule.timeZone.identifier)).")
        }
        return ICalendarFeed.render(name: name, events: events, stamp: now)
    }
}
