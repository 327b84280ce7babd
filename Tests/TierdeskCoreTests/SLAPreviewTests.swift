import Foundation
import Testing

@testable import TierdeskCore

/// The SLA preview contract with hand-checked expectations.
@Suite struct SLAPreviewTests {
    typealias Input = SLAPreview.Input

    static func office(
        _ zone: String,
        _ start: String,
        _ end: String,
        days: [String] = ["mon", "tue", "wed", "thu", "fri"],
        holidays: [String]? = nil
    ) -> CalendarSpec {
        CalendarSpec(
            timeZone: zone,
            weekly: Dictionary(uniqueKeysWithValues: days.map { ($0, [CalendarSpec.Window(start: start, end: end)]) }),
            holidays: holidays
        )
    }

    static let berlin = office("Europe/Berlin", "08:00", "17:00", holidays: ["2026-12-25", "01-01"])

    static func run(
        _ calendar: CalendarSpec?,
        firstResponse: Double? = nil,
        resolution: Double? = nil,
        _ timeline: [(String, String)]
    ) throws -> SLAPreview.Result {
        try SLAPreview.evaluate(
            Input(
                calendar: calendar,
                targets: .init(firstResponse: firstResponse, resolution: resolution),
                timeline: timeline.map { .init(at: $0.0, event: $0.1) }
            )
        )
    }

    static func due(_ clock: SLAPreview.Clock?) -> String? { clock?.due.map(Timestamp.format) }

    struct DueCase: CustomTestStringConvertible {
        var name: String
        var calendar: CalendarSpec?
        var created: String
        var minutes: Double
        var expected: String
        var testDescription: String { name }
    }

    static let dueCases: [DueCase] = [
        DueCase(
            name: "24x7",
            calendar: nil,
            created: "2026-03-06T21:30:00Z",
            minutes: 480,
            expected: "2026-03-07T05:30:00Z"
        ),
        DueCase(
            name: "created Friday night waits for Monday 08:00 CET",
            calendar: berlin,
            created: "2026-03-06T21:30:00Z",
            minutes: 480,
            expected: "2026-03-09T15:00:00Z"
        ),
        DueCase(
            name: "spring forward in Berlin over the weekend",
            calendar: berlin,
            created: "2026-03-27T15:00:00Z",
            minutes: 120,
            expected: "2026-03-30T07:00:00Z"
        ),
        DueCase(
            name: "fall back in Berlin over the weekend",
            calendar: berlin,
            created: "2026-10-23T14:30:00Z",
            minutes: 60,
            expected: "2026-10-26T07:30:00Z"
        ),
        DueCase(
            name: "Sydney spring forward (southern hemisphere)",
            calendar: office("Australia/Sydney", "09:00", "17:00"),
            created: "2026-10-02T06:00:00Z",
            minutes: 120,
            expected: "2026-10-04T23:00:00Z"
        ),
        DueCase(
            name: "Sydney fall back (southern hemisphere)",
            calendar: office("Australia/Sydney", "09:00", "17:00"),
            created: "2026-04-03T05:00:00Z",
            minutes: 120,
            expected: "2026-04-06T00:00:00Z"
        ),
        DueCase(
            name: "half-hour offset, Asia/Kolkata",
            calendar: office("Asia/Kolkata", "09:30", "18:00"),
            created: "2026-06-01T12:00:00Z",
            minutes: 60,
            expected: "2026-06-02T04:30:00Z"
        ),
        DueCase(
            name: "45-minute offset, Pacific/Chatham",
            calendar: office("Pacific/Chatham", "09:00", "17:00"),
            created: "2026-06-02T04:00:00Z",
            minutes: 30,
            expected: "2026-06-02T20:30:00Z"
        ),
        DueCase(
            name: "one-off holiday and weekend",
            calendar: berlin,
            created: "2026-12-24T15:00:00Z",
            minutes: 120,
            expected: "2026-12-28T08:00:00Z"
        ),
        DueCase(
            name: "created on a holiday",
            calendar: berlin,
            created: "2026-12-25T10:00:00Z",
            minutes: 30,
            expected: "2026-12-28T07:30:00Z"
        ),
        DueCase(
            name: "yearly holiday",
            calendar: berlin,
            created: "2026-12-31T15:30:00Z",
            minutes: 60,
            expected: "2027-01-04T07:30:00Z"
        ),
        DueCase(
            name: "multi-day target",
            calendar: berlin,
            created: "2026-05-04T06:00:00Z",
            minutes: 3 * 540,
            expected: "2026-05-06T15:00:00Z"
        ),
        DueCase(
            name: "lunch break",
            calendar: CalendarSpec(
                timeZone: "Europe/Berlin",
                weekly: ["mon": [.init(start: "08:00", end: "12:00"), .init(start: "13:00", end: "17:00")]],
                holidays: nil
            ),
            created: "2026-05-04T09:30:00Z",
            minutes: 60,
            expected: "2026-05-04T11:30:00Z"
        ),
        DueCase(
            name: "window to 24:00",
            calendar: CalendarSpec(
                timeZone: "Europe/Berlin",
                weekly: ["sat": [.init(start: "22:00", end: "24:00")]],
                holidays: nil
            ),
            created: "2026-05-09T19:00:00Z",
            minutes: 150,
            expected: "2026-05-16T20:30:00Z"
        ),
        DueCase(
            name: "zero target is the creation instant",
            calendar: berlin,
            created: "2026-03-07T10:00:00Z",
            minutes: 0,
            expected: "2026-03-07T10:00:00Z"
        ),
    ]

    @Test(arguments: dueCases)
    func resolutionDue(_ item: DueCase) throws {
        let result = try Self.run(
            item.calendar,
            firstResponse: item.minutes,
            resolution: item.minutes,
            [(item.created, "created")]
        )
        #expect(Self.due(result.resolution) == item.expected)
        #expect(Self.due(result.firstResponse) == item.expected)
        #expect(result.resolution?.met == nil && result.resolution?.paused == false)
    }

    @Test func pausesAcrossNightsAndWeekendsKeepTimeUsed() throws {
        let result = try Self.run(
            Self.berlin,
            firstResponse: 60,
            resolution: 600,
            [
                ("2026-03-04T09:00:00Z", "resume"),
                ("2026-03-02T07:00:00Z", "created"),
                ("2026-03-02T15:00:00Z", "pause"),
                ("2026-03-03T10:00:00Z", "pause"),
                ("2026-03-04T10:00:00Z", "resume"),
            ]
        )
        #expect(Self.due(result.firstResponse) == "2026-03-02T08:00:00Z")
        #expect(Self.due(result.resolution) == "2026-03-04T11:00:00Z")
        #expect(result.resolution?.paused == false)
    }

    @Test func pausedAtTheEndHasNoDue() throws {
        let result = try Self.run(
            Self.berlin,
            resolution: 600,
            [("2026-03-02T07:00:00Z", "created"), ("2026-03-02T15:00:00Z", "pause")]
        )
        #expect(result.resolution == SLAPreview.Clock(due: nil, met: nil, paused: true))
    }

    @Test func breachBeforeAPauseStaysABreach() throws {
        let result = try Self.run(
            Self.berlin,
            resolution: 60,
            [
                ("2026-03-02T07:00:00Z", "created"), ("2026-03-02T09:00:00Z", "pause"),
                ("2026-03-03T09:00:00Z", "resume"), ("2026-03-03T10:00:00Z", "resolved"),
            ]
        )
        #expect(Self.due(result.resolution) == "2026-03-02T08:00:00Z")
        #expect(result.resolution?.met == false)
    }

    @Test func firstAchievementsCount() throws {
        let result = try Self.run(
            nil,
            firstResponse: 15,
            resolution: 120,
            [
                ("2026-03-02T07:00:00Z", "created"), ("2026-03-02T07:10:00Z", "firstResponse"),
                ("2026-03-02T07:40:00Z", "firstResponse"),
                ("2026-03-02T08:30:00Z", "resolved"), ("2026-03-02T12:00:00Z", "resolved"),
            ]
        )
        #expect(result.firstResponse?.met == true && result.resolution?.met == true)
        let late = try Self.run(
            nil,
            firstResponse: 15,
            [("2026-03-02T07:00:00Z", "created"), ("2026-03-02T07:16:00Z", "firstResponse")]
        )
        #expect(late.firstResponse?.met == false)
    }

    @Test func resolvedWhilePausedIsMet() throws {
        let result = try Self.run(
            nil,
            resolution: 60,
            [
                ("2026-03-02T07:00:00Z", "created"), ("2026-03-02T07:30:00Z", "pause"),
                ("2026-03-05T07:30:00Z", "resolved"),
            ]
        )
        #expect(result.resolution?.met == true && result.resolution?.paused == false)
        #expect(Self.due(result.resolution) == "2026-03-05T08:00:00Z")
    }

    @Test func invalidScenariosNameTheField() {
        func fields(_ calendar: CalendarSpec?, firstResponse: Double? = 10, _ timeline: [(String, String)]) -> [String]
        {
            do {
                _ = try Self.run(calendar, firstResponse: firstResponse, timeline)
                return []
            } catch {
                return (error as? ValidationFailure)?.errors.map(\.field) ?? ["?"]
            }
        }
        let created = [("2026-03-02T07:00:00Z", "created")]
        #expect(fields(Self.office("Mars/Olympus", "08:00", "17:00"), created) == ["calendar.timeZone"])
        #expect(
            fields(Self.office("Europe/Berlin", "17:00", "08:00", days: ["mon"]), created) == [
                "calendar.weekly.mon[0]", "calendar.weekly",
            ]
                || fields(Self.office("Europe/Berlin", "17:00", "08:00", days: ["mon"]), created).first
                    == "calendar.weekly.mon[0]"
        )
        let overlapping = CalendarSpec(
            timeZone: "Europe/Berlin",
            weekly: ["tue": [.init(start: "08:00", end: "12:00"), .init(start: "11:00", end: "13:00")]],
            holidays: nil
        )
        #expect(fields(overlapping, created) == ["calendar.weekly.tue[1]"])
        #expect(
            fields(Self.office("Europe/Berlin", "8am", "17:00", days: ["mon"]), created)
                .contains("calendar.weekly.mon[0].start")
        )
        #expect(
            fields(Self.office("Europe/Berlin", "08:00", "17:00", holidays: ["Christmas"]), created) == [
                "calendar.holidays[0]"
            ]
        )
        #expect(fields(nil, firstResponse: -5, created) == ["targets.firstResponse"])
        #expect(fields(nil, [("yesterday", "created")]) == ["timeline[0].at"])
        #expect(fields(nil, [("2026-03-02T07:00:00Z", "opened")]) == ["timeline[0].event", "timeline"])
        #expect(fields(nil, []) == ["timeline"])
    }

    // MARK: Properties

    static let probes: [Date] = stride(from: 1_767_225_600, to: 1_798_761_600, by: 86_400 * 3 + 3_917)
        .map { Date(timeIntervalSince1970: Double($0)) }

    @Test func addingInTwoStepsEqualsAddingAtOnce() throws {
        let calendar = try Self.berlin.calendar()
        for (index, start) in Self.probes.enumerated() {
            let a = Double((index * 37) % 1500) * 60
            let b = Double((index * 53) % 2000) * 60
            #expect(
                calendar.adding(seconds: b, to: calendar.adding(seconds: a, to: start))
                    == calendar.adding(seconds: a + b, to: start),
                "\(start) \(a) \(b)"
            )
        }
    }

    @Test func aPauseNeverMovesTheDeadlineEarlier() throws {
        for (index, start) in Self.probes.enumerated() {
            let created = Timestamp.format(start)
            let pause = Timestamp.format(start.addingTimeInterval(Double(index % 11) * 3_600))
            let resume = Timestamp.format(
                start.addingTimeInterval(Double(index % 11) * 3_600 + Double(index % 5 + 1) * 7_200)
            )
            let plain = try Self.run(Self.berlin, resolution: 960, [(created, "created")])
            let paused = try Self.run(
                Self.berlin,
                resolution: 960,
                [(created, "created"), (pause, "pause"), (resume, "resume")]
            )
            #expect(paused.resolution!.due! >= plain.resolution!.due!, "\(created)")
        }
    }

    @Test(arguments: ["Europe/Berlin", "Australia/Sydney", "America/New_York", "Pacific/Chatham", "Asia/Kolkata"])
    func aFullDayCalendarRunsLikeTwentyFourSeven(zone: String) throws {
        let allDay = Self.office(zone, "00:00", "24:00", days: Weekday.allCases.map(\.rawValue))
        for (index, start) in Self.probes.enumerated() {
            let minutes = Double((index * 97) % 5000)
            let local = try Self.run(allDay, resolution: minutes, [(Timestamp.format(start), "created")])
            #expect(local.resolution?.due == start.addingTimeInterval(minutes * 60), "\(zone) \(start) \(minutes)")
        }
    }

    @Test func ambiguousAndSkippedLocalTimes() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 02:30 on 2026-10-25 happens twice: the first is 00:30Z (CEST).
        #expect(
            Timestamp.format(ZonedTime.instant(LocalDate(year: 2026, month: 10, day: 25), minutes: 150, in: berlin))
                == "2026-10-25T00:30:00Z"
        )
        // 02:30 on 2026-03-29 does not exist: it moves forward by the hour-long gap, to 03:30 CEST.
        #expect(
            Timestamp.format(ZonedTime.instant(LocalDate(year: 2026, month: 3, day: 29), minutes: 150, in: berlin))
                == "2026-03-29T01:30:00Z"
        )
    }

    @Test(arguments: [
        "Europe/Berlin", "Australia/Sydney", "America/Sao_Paulo", "Europe/Volgograd", "Africa/Casablanca",
        "Pacific/Apia", "Asia/Kolkata",
    ])
    func cachedOffsetsAgreeWithTheTimeZone(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        let first = LocalDate(year: 2009, month: 1, day: 1)
        var walker = ZonedTime.Offsets(
            zone: timeZone,
            from: Date(timeIntervalSince1970: Double(first.daysSinceEpoch - 2) * 86_400)
        )
        for day in 0..<(366 * 20) {
            let date = first.adding(days: day)
            for minutes in [0, 150, 480, 1020] {
                #expect(
                    walker.instant(date, minutes: minutes) == ZonedTime.instant(date, minutes: minutes, in: timeZone),
                    "\(zone) \(date) \(minutes)"
                )
            }
        }
    }

    @Test func localDatesCount() {
        #expect(LocalDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(LocalDate(year: 2026, month: 3, day: 6).weekday == .fri)
        #expect(LocalDate("2024-02-29") != nil && LocalDate("2026-02-29") == nil && LocalDate("2026-13-01") == nil)
        for days in stride(from: -800_000, to: 800_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }
}
