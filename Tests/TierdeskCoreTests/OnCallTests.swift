import Foundation
import Testing

@testable import TierdeskCore

/// On-call schedules in the Core: rotations across daylight-saving changes, overrides, support hours,
/// coverage gaps, the escalation chain of a page, and the calendar feed's text.
struct OnCallTests {
    let anna = UUID(), ben = UUID(), cleo = UUID(), dan = UUID()
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func at(_ text: String) -> Date { Timestamp.parse(text)! }

    func weekly(
        _ role: OnCallRole,
        _ members: [UUID],
        startsOn: String = "2026-03-23",
        handoff: Int = 9 * 60,
        days: Int = 7,
        support: [Weekday: [OpeningWindow]]? = nil
    ) -> RotationLayer {
        RotationLayer(
            name: "Layer",
            role: role,
            members: members,
            startsOn: LocalDate(startsOn)!,
            handoffDay: .mon,
            handoffMinutes: handoff,
            shiftDays: days,
            supportHours: support
        )
    }

    @Test func weeklyHandOffKeepsLocalTimeAcrossSpringForward() {
        // 2026-03-29 clocks go forward in Berlin: 09:00 is 08:00Z before and 07:00Z after.
        let schedule = OnCallSchedule(
            id: UUID(),
            name: "Ops",
            timeZone: berlin,
            layers: [weekly(.primary, [anna, ben, cleo])]
        )
        #expect(schedule.onCall(.primary, at: at("2026-03-23T07:59:59Z")) == nil)
        #expect(schedule.onCall(.primary, at: at("2026-03-23T08:00:00Z")) == anna)
        #expect(schedule.onCall(.primary, at: at("2026-03-30T06:59:59Z")) == anna)
        #expect(schedule.onCall(.primary, at: at("2026-03-30T07:00:00Z")) == ben)
        #expect(schedule.onCall(.primary, at: at("2026-04-06T07:00:00Z")) == cleo)
        #expect(schedule.onCall(.primary, at: at("2026-04-13T07:00:00Z")) == anna)
        #expect(
            schedule.onCall(.primary, at: at("2027-03-22T08:00:00Z"))
                == schedule.onCall(.primary, at: at("2027-03-22T08:00:00Z"))
        )
        #expect(schedule.onCall(at: at("2026-04-01T12:00:00Z")) == OnCallPair(primary: ben, secondary: nil))
    }

    @Test func handOffInTheRepeatedHourIsItsFirstOccurrence() {
        // 2026-10-25 clocks go back in Berlin: 02:30 local happens at 00:30Z and again at 01:30Z.
        let schedule = OnCallSchedule(
            id: UUID(),
            name: "Daily",
            timeZone: berlin,
            layers: [weekly(.primary, [anna, ben], startsOn: "2026-10-19", handoff: 150, days: 1)]
        )
        let sunday = at("2026-10-25T00:30:00Z")
        let before = schedule.onCall(.primary, at: sunday.addingTimeInterval(-1))
        #expect(before != nil)
        #expect(schedule.onCall(.primary, at: sunday) != before)
        // 02:15 local on the second pass (01:15Z) is after the hand-off, although the local clock reads earlier.
        #expect(schedule.onCall(.primary, at: at("2026-10-25T01:15:00Z")) == schedule.onCall(.primary, at: sunday))
        let shifts = schedule.shifts(.primary, in: at("2026-10-24T00:00:00Z")..<at("2026-10-27T00:00:00Z"))
        // Hand-offs at 00:30Z on the 24th and 25th (summer time), then 01:30Z on the 26th: the Sunday shift is 25 hours.
        #expect(shifts.map { $0.end.timeIntervalSince($0.start) / 3600 } == [0.5, 24, 25, 22.5])
    }

    @Test func overridesWinAndTheLatestOverlappingOneWins() {
        var schedule = OnCallSchedule(
            id: UUID(),
            name: "Ops",
            timeZone: berlin,
            layers: [weekly(.primary, [anna, ben]), weekly(.secondary, [cleo])]
        )
        schedule.overrides = [
            OnCallOverride(
                role: .primary,
                personID: dan,
                start: at("2026-04-01T00:00:00Z"),
                end: at("2026-04-03T00:00:00Z"),
                createdAt: at("2026-03-01T00:00:00Z")
            ),
            OnCallOverride(
                role: .primary,
                personID: cleo,
                start: at("2026-04-02T00:00:00Z"),
                end: at("2026-04-02T12:00:00Z"),
                createdAt: at("2026-03-02T00:00:00Z")
            ),
        ]
        #expect(schedule.onCall(.primary, at: at("2026-03-31T23:59:59Z")) == ben)
        #expect(schedule.onCall(.primary, at: at("2026-04-01T00:00:00Z")) == dan)
        #expect(schedule.onCall(.primary, at: at("2026-04-02T06:00:00Z")) == cleo)
        #expect(schedule.onCall(.primary, at: at("2026-04-02T12:00:00Z")) == dan)
        #expect(schedule.onCall(.primary, at: at("2026-04-03T00:00:00Z")) == ben)
        #expect(schedule.onCall(.secondary, at: at("2026-04-02T06:00:00Z")) == cleo)
        let shifts = schedule.shifts(.primary, in: at("2026-03-31T00:00:00Z")..<at("2026-04-04T00:00:00Z"))
        #expect(shifts.map(\.personID) == [ben, dan, cleo, dan, ben])
        #expect(
            shifts.map(\.start) == [
                at("2026-03-31T00:00:00Z"), at("2026-04-01T00:00:00Z"), at("2026-04-02T00:00:00Z"),
                at("2026-04-02T12:00:00Z"), at("2026-04-03T00:00:00Z"),
            ]
        )
    }

    @Test func theLongestHolderOfARoleCountsEveryStretchAndTiesGoToTheFirst() {
        var schedule = OnCallSchedule(
            id: UUID(),
            name: "Ops",
            timeZone: berlin,
            layers: [weekly(.primary, [anna, ben])]
        )
        // Anna holds 2026-03-23 08:00Z to 03-30 07:00Z: 23 of 48 hours from 03-29 08:00Z, Ben the other 25.
        #expect(schedule.longestHolder(.primary, in: at("2026-03-29T08:00:00Z")..<at("2026-03-31T08:00:00Z")) == ben)
        // Split evenly: the first holder wins.
        #expect(schedule.longestHolder(.primary, in: at("2026-03-29T19:00:00Z")..<at("2026-03-30T19:00:00Z")) == anna)
        // Cleo covers two stretches of Ben's day, four hours each; eight hours are still fewer than Ben's sixteen.
        schedule.overrides = [
            OnCallOverride(
                role: .primary,
                personID: cleo,
                start: at("2026-04-01T00:00:00Z"),
                end: at("2026-04-01T04:00:00Z"),
                createdAt: at("2026-03-01T00:00:00Z")
            ),
            OnCallOverride(
                role: .primary,
                personID: cleo,
                start: at("2026-04-01T10:00:00Z"),
                end: at("2026-04-01T14:00:00Z"),
                createdAt: at("2026-03-01T00:00:00Z")
            ),
        ]
        #expect(schedule.longestHolder(.primary, in: at("2026-04-01T00:00:00Z")..<at("2026-04-02T00:00:00Z")) == ben)
        #expect(schedule.longestHolder(.primary, in: at("2026-04-01T00:00:00Z")..<at("2026-04-01T14:00:00Z")) == cleo)
        #expect(schedule.longestHolder(.secondary, in: at("2026-04-01T00:00:00Z")..<at("2026-04-02T00:00:00Z")) == nil)
    }

    @Test func supportHoursLeaveTheNightsToEarlierLayersOrToGaps() {
        let office = Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri]
                .map { ($0, [OpeningWindow(start: 8 * 60, end: 18 * 60)]) }
        )
        let schedule = OnCallSchedule(
            id: UUID(),
            name: "Ops",
            timeZone: berlin,
            layers: [
                weekly(.primary, [anna]), weekly(.primary, [ben], support: office),
                weekly(.secondary, [cleo], support: office),
            ]
        )
        #expect(schedule.onCall(at: at("2026-04-01T10:00:00Z")) == OnCallPair(primary: ben, secondary: cleo))
        #expect(schedule.onCall(at: at("2026-04-01T17:00:00Z")) == OnCallPair(primary: anna, secondary: nil))
        #expect(schedule.onCall(at: at("2026-04-04T10:00:00Z")) == OnCallPair(primary: anna, secondary: nil))
        // One local week, Monday to Monday: the primary is always there, the secondary 5 × 10 hours.
        let week = at("2026-04-05T22:00:00Z")..<at("2026-04-12T22:00:00Z")
        let coverage = schedule.coverage(in: week)
        #expect(coverage.gaps.allSatisfy { $0.role == .secondary })
        #expect(coverage.gaps.count == 6)
        #expect(coverage.uncovered == Double(168 - 50) * 3600)
        #expect(abs(coverage.ratio - (1 - 118.0 / 336.0)) < 1e-9)
        #expect(
            ScheduleCoverage.combinedRatio([coverage, ScheduleCoverage(range: week, gaps: [])]) == 1 - 118.0 / 672.0
        )
        #expect(schedule.gaps(.primary, in: week).isEmpty)
    }

    @Test func specErrorsNameEveryField() throws {
        let spec = OnCallScheduleSpec(
            name: " ",
            timeZone: "Mars/Base",
            layers: [
                .init(
                    role: .primary,
                    members: [],
                    startsOn: "2026-13-01",
                    handoffTime: "24:00",
                    shiftDays: 0,
                    supportHours: ["mon": [.init(start: "9", end: "17:00")], "funday": []]
                )
            ]
        )
        let failure = try #require(throws: ValidationFailure.self) { _ = try spec.schedule(id: UUID()) }
        #expect(
            Set(failure.errors.map(\.field)) == [
                "name", "timeZone", "layers[0].members", "layers[0].startsOn", "layers[0].handoffTime",
                "layers[0].shiftDays",
                "layers[0].supportHours.mon[0].start", "layers[0].supportHours.funday", "layers[0].supportHours",
            ]
        )
        let good = OnCallScheduleSpec(
            name: "Ops",
            timeZone: "Europe/Berlin",
            layers: [.init(role: .secondary, members: [anna], startsOn: "2026-11-18")]
        )
        let schedule = try good.schedule(id: UUID())
        #expect(schedule.layers[0].anchor == LocalDate("2026-11-23"))
        #expect(schedule.layers[0].handoffMinutes == 540 && schedule.layers[0].shiftDays == 7)
    }

    @Test func aPageWalksItsPolicySkipsEmptyRolesAndRunsOut() throws {
        let schedule = OnCallSchedule(
            id: UUID(),
            name: "Ops",
            timeZone: berlin,
            layers: [weekly(.primary, [anna]), weekly(.secondary, [ben])]
        )
        let empty = OnCallSchedule(
            id: UUID(),
            name: "Nobody",
            timeZone: berlin,
            layers: [weekly(.primary, [cleo], startsOn: "2030-01-01")]
        )
        let policy = EscalationPolicy(
            id: UUID(),
            name: "Sev1",
            steps: [
                .init(target: .schedule(schedule.id, .primary), waitMinutes: 5),
                .init(target: .schedule(empty.id, .primary), waitMinutes: 5),
                .init(target: .schedule(schedule.id, .secondary), waitMinutes: 10),
                .init(target: .person(dan), waitMinutes: 15),
            ],
            repeats: 1
        )
        let schedules = [schedule.id: schedule, empty.id: empty]
        let start = at("2026-04-01T10:00:00Z")
        var page = OnCallPage(
            ticketID: nil,
            policyID: policy.id,
            title: "Line 3 halted",
            severity: .sev1,
            origin: .manual,
            startedAt: start,
            nextStepAt: start
        )
        #expect(PageDispatch.due(page, policy: policy, schedules: schedules, at: start.addingTimeInterval(-1)) == nil)
        var sent: [(Int, [UUID], Date)] = []
        var now = start
        while let dispatch = PageDispatch.due(page, policy: policy, schedules: schedules, at: now) {
            if let step = dispatch.step { sent.append((step, dispatch.recipients, now)) }
            page.nextStep = dispatch.nextStep
            page.nextStepAt = dispatch.nextStepAt
            guard let next = dispatch.nextStepAt else { break }
            now = next
        }
        #expect(sent.map(\.0) == [0, 2, 3, 4, 6, 7])
        #expect(sent.map(\.1) == [[anna], [ben], [dan], [anna], [ben], [dan]])
        #expect(sent.map { $0.2.timeIntervalSince(start) / 60 } == [0, 5, 15, 30, 35, 45])
        #expect(page.nextStepAt == nil)
        page.status = .acknowledged
        page.nextStepAt = start
        #expect(PageDispatch.due(page, policy: policy, schedules: schedules, at: start) == nil)
    }

    @Test func aStepWhosePeopleCannotBePagedMovesOnAtOnce() {
        let schedule = OnCallSchedule(id: UUID(), name: "Ops", timeZone: berlin, layers: [weekly(.primary, [anna])])
        let policy = EscalationPolicy(
            id: UUID(),
            name: "Sev1",
            steps: [
                .init(target: .schedule(schedule.id, .primary), waitMinutes: 5),
                .init(target: .person(dan), waitMinutes: 15),
            ],
            repeats: 0
        )
        let start = at("2026-04-01T10:00:00Z")
        let page = OnCallPage(
            ticketID: nil,
            policyID: policy.id,
            title: "Line 3 halted",
            severity: .sev1,
            origin: .manual,
            startedAt: start,
            nextStepAt: start
        )
        // Anna has left: the chain goes straight on to Dan instead of waiting five minutes for her.
        let dispatch = PageDispatch.due(
            page,
            policy: policy,
            schedules: [schedule.id: schedule],
            at: start,
            reachable: { $0 != anna }
        )
        #expect(dispatch == PageDispatch(step: 1, recipients: [dan], skipped: [0], nextStep: 2, nextStepAt: nil))
        #expect(
            PageDispatch.due(
                page,
                policy: policy,
                schedules: [schedule.id: schedule],
                at: start,
                reachable: { _ in false }
            )?
            .step == nil
        )
    }

    @Test func eventsOfOneInstantAreInTheOrderTheyHappen() {
        let page = UUID()
        let now = at("2026-04-01T10:00:00Z")
        let stored = [
            PageEvent(pageID: page, at: now, kind: .notified, step: 2, personID: ben),
            PageEvent(pageID: page, at: now, kind: .skipped, step: 1),
            PageEvent(pageID: page, at: now, kind: .notified, step: 0, personID: anna),
            PageEvent(pageID: page, at: now.addingTimeInterval(-60), kind: .started),
            PageEvent(pageID: page, at: now, kind: .skipped, step: 0),
        ]
        #expect(
            stored.sorted(by: PageEvent.chronological).map { "\($0.kind.rawValue)\($0.step ?? -1)" } == [
                "started-1", "skipped0", "skipped1", "notified0", "notified2",
            ]
        )
    }

    @Test func onlyARiseToSev1OrSev2StartsAPage() {
        var ticket = Ticket(
            id: UUID(),
            number: 1,
            type: .incident,
            channel: .api,
            title: "t",
            description: "d",
            requesterID: anna,
            organisationID: UUID(),
            serviceID: nil,
            impact: .high,
            urgency: .medium,
            priority: .p2,
            severity: .sev2,
            status: .new,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: Date(),
            updatedAt: Date()
        )
        let created = TicketEvent(ticketID: ticket.id, kind: .created, actorID: nil, at: Date())
        func raised(_ before: Severity) -> TicketEvent {
            TicketEvent(
                ticketID: ticket.id,
                kind: .fieldChanged,
                actorID: nil,
                at: Date(),
                field: "severity",
                before: before.rawValue,
                after: ticket.severity.rawValue
            )
        }
        #expect(OnCallPage.startsPage(ticket, events: [created]))
        #expect(OnCallPage.startsPage(ticket, events: [raised(.sev3)]))
        ticket.severity = .sev1
        #expect(!OnCallPage.startsPage(ticket, events: [raised(.sev2)]))
        ticket.status = .resolved
        #expect(!OnCallPage.startsPage(ticket, events: [created]))
        ticket.status = .new
        ticket.severity = .sev3
        #expect(!OnCallPage.startsPage(ticket, events: [created]))
    }

    @Test func policySpecNamesEveryBadStep() throws {
        let spec = EscalationPolicySpec(
            name: "P",
            steps: [
                .init(waitMinutes: 0), .init(scheduleId: UUID(), personId: UUID(), waitMinutes: 5),
                .init(role: .secondary, personId: UUID(), waitMinutes: 5),
            ],
            repeats: 9
        )
        let failure = try #require(throws: ValidationFailure.self) { _ = try spec.policy(id: UUID()) }
        #expect(
            failure.errors.map(\.field) == ["repeats", "steps[0].waitMinutes", "steps[0]", "steps[1]", "steps[2].role"]
        )
        let policy = try EscalationPolicySpec(name: "P", steps: [.init(scheduleId: anna, waitMinutes: 5)])
            .policy(id: UUID())
        #expect(policy.steps[0].target == .schedule(anna, .primary) && policy.stepCount == 1)
        #expect(
            EscalationPolicySpec(policy)
                == EscalationPolicySpec(
                    name: "P",
                    steps: [.init(scheduleId: anna, role: .primary, waitMinutes: 5)],
                    repeats: 0
                )
        )
    }

    @Test func contactMethodsAreChecked() throws {
        let failure = try #require(throws: ValidationFailure.self) {
            _ = try ContactMethod.validate(
                [
                    .init(kind: .email, address: "nope"), .init(kind: .sms, address: "0301234"),
                    .init(kind: .webhook, address: "http://10.0.0.1/x"), .init(kind: .voice, address: "+49301234567"),
                ],
                allowPrivateTargets: false
            )
        }
        #expect(failure.errors.map(\.field) == ["methods[0].address", "methods[1].address", "methods[2].address"])
        let ok = try ContactMethod.validate(
            [.init(kind: .email, address: " Anna@Example.COM "), .init(kind: .webhook, address: "http://10.0.0.1/x")],
            allowPrivateTargets: true
        )
        #expect(ok.map(\.address) == ["anna@example.com", "http://10.0.0.1/x"])
    }

    @Test func calendarTextIsEscapedAndFolded() {
        let long = String(repeating: "Bereitschaft für Linie 3, ", count: 8)
        let feed = ICalendarFeed.render(
            name: "Ops; night\\shift",
            events: [
                .init(
                    uid: "shift-1@tierdesk",
                    start: at("2026-04-01T07:00:00Z"),
                    end: at("2026-04-08T07:00:00Z"),
                    summary: long,
                    description: "line one\nline two\u{7}"
                )
            ],
            stamp: at("2026-03-01T00:00:00Z")
        )
        #expect(feed.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(feed.hasSuffix("END:VCALENDAR\r\n"))
        #expect(feed.contains("X-WR-CALNAME:Ops\\; night\\\\shift\r\n"))
        #expect(feed.contains("DTSTART:20260401T070000Z\r\nDTEND:20260408T070000Z\r\n"))
        #expect(feed.contains("DESCRIPTION:line one\\nline two\r\n"))
        let lines = feed.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        let unfolded = feed.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + long.replacingOccurrences(of: ",", with: "\\,") + "\r\n"))
    }
}

/// Time off in lieu: out-of-hours time on pages and logged Sev1/Sev2 work, per person and month.
struct TimeOffInLieuTests {
    let anna = UUID(), ben = UUID()
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// Monday to Friday 09:00–17:00 in Berlin; Christmas Day is a holiday.
    let office = try! BusinessCalendar(
        timeZone: "Europe/Berlin",
        weekly: Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri]
                .map { ($0, [OpeningWindow(start: 9 * 60, end: 17 * 60)]) }
        ),
        holidays: [LocalDate("2026-12-25")!]
    )

    func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func monthsAreReadInTheCalendarsTimeZone() {
        let october = CalendarMonth("2026-10")!
        let range = october.range(in: berlin)
        #expect(range.lowerBound == at("2026-09-30T22:00:00Z") && range.upperBound == at("2026-10-31T23:00:00Z"))
        // Clocks go back on 25 October: the month has an hour more than 31 days.
        #expect(range.upperBound.timeIntervalSince(range.lowerBound) == (31 * 24 + 1) * 3600)
        #expect(CalendarMonth(containing: at("2026-10-31T23:30:00Z"), in: berlin) == CalendarMonth("2026-11"))
        #expect(
            CalendarMonth("2026-12")!.next.description == "2027-01"
                && CalendarMonth("2026-01")!.previous.description == "2025-12"
        )
        #expect(CalendarMonth("2026-13") == nil && CalendarMonth("2026-1") == nil && CalendarMonth("November") == nil)
    }

    @Test func overlappingPageAndTimeEntryCountOnceAndWorkingHoursDoNotCount() {
        let november = CalendarMonth("2026-11")!.range(in: berlin)
        let spans = [
            // Tuesday evening, 20:00–22:30 in Berlin: a page Anna acknowledged, and work she logged 21:00–23:00.
            WorkSpan(source: .page, personID: anna, start: at("2026-11-17T19:00:00Z"), end: at("2026-11-17T21:30:00Z")),
            WorkSpan(
                source: .ticket,
                personID: anna,
                start: at("2026-11-17T20:00:00Z"),
                end: at("2026-11-17T22:00:00Z")
            ),
            // Wednesday 16:00–18:00: only the hour after five counts.
            WorkSpan(
                source: .ticket,
                personID: anna,
                start: at("2026-11-18T15:00:00Z"),
                end: at("2026-11-18T17:00:00Z")
            ),
            // Ben's night runs into December: an hour in each month.
            WorkSpan(source: .page, personID: ben, start: at("2026-11-30T22:00:00Z"), end: at("2026-12-01T00:00:00Z")),
        ]
        let notices = [
            PageEvent(pageID: UUID(), at: at("2026-11-17T18:55:00Z"), kind: .notified, personID: anna),
            PageEvent(pageID: UUID(), at: at("2026-11-18T10:00:00Z"), kind: .notified, personID: anna),
            PageEvent(pageID: UUID(), at: at("2026-11-18T10:00:00Z"), kind: .acknowledged, personID: anna),
        ]
        let lines = Dictionary(
            uniqueKeysWithValues: TimeOffInLieu.lines(spans: spans, notifications: notices, hours: office, in: november)
                .map { ($0.personID, $0) }
        )
        #expect(
            lines[anna]
                == TimeOffInLieu.Line(
                    personID: anna,
                    pageSeconds: 2.5 * 3600,
                    ticketSeconds: 3 * 3600,
                    totalSeconds: 4 * 3600,
                    pagesOutOfHours: 1
                )
        )
        #expect(lines[ben]?.totalSeconds == 3600 && lines[ben]?.pagesOutOfHours == 0)
        let december = TimeOffInLieu.lines(
            spans: spans,
            notifications: notices,
            hours: office,
            in: CalendarMonth("2026-12")!.range(in: berlin)
        )
        #expect(december.map(\.personID) == [ben] && december.first?.pageSeconds == 3600)
    }

    @Test func holidaysAreOutOfHoursAndAnOpenPageRunsUntilNow() {
        let christmas = [at("2026-12-25T09:00:00Z")..<at("2026-12-25T11:00:00Z")]
        #expect(
            TimeOffInLieu.outOfHours(christmas, hours: office, in: CalendarMonth("2026-12")!.range(in: berlin)) == 2
                * 3600
        )
        #expect(
            TimeOffInLieu.outOfHours(
                christmas,
                hours: .twentyFourSeven,
                in: CalendarMonth("2026-12")!.range(in: berlin)
            ) == 0
        )
        var page = OnCallPage(
            ticketID: nil,
            policyID: UUID(),
            title: "Line 3 down",
            severity: .sev1,
            origin: .manual,
            startedAt: at("2026-12-05T01:00:00Z"),
            nextStepAt: nil
        )
        #expect(WorkSpan(page: page, now: at("2026-12-05T03:00:00Z")) == nil)
        page.acknowledgedBy = anna
        page.acknowledgedAt = at("2026-12-05T01:05:00Z")
        #expect(WorkSpan(page: page, now: at("2026-12-05T03:00:00Z"))?.end == at("2026-12-05T03:00:00Z"))
        page.resolvedAt = at("2026-12-05T02:00:00Z")
        #expect(
            WorkSpan(page: page, now: at("2026-12-05T03:00:00Z"))
                == WorkSpan(
                    source: .page,
                    personID: anna,
                    start: at("2026-12-05T01:05:00Z"),
                    end: at("2026-12-05T02:00:00Z")
                )
        )
    }

    @Test func loggedWorkIsForwardShortPastAndNoted() throws {
        let now = at("2026-11-20T12:00:00Z")
        #expect(
            try TimeEntry.validated(
                start: at("2026-11-19T20:00:00Z"),
                end: at("2026-11-19T23:00:00Z"),
                note: "  Restarted the line controller ",
                now: now
            ) == "Restarted the line controller"
        )
        let fields = { (start: String, end: String, note: String) -> [String] in
            do {
                _ = try TimeEntry.validated(start: self.at(start), end: self.at(end), note: note, now: now)
                return []
            } catch let failure as ValidationFailure { return failure.errors.map(\.field) } catch {
                return ["\(error)"]
            }
        }
        #expect(fields("2026-11-19T20:00:00Z", "2026-11-19T20:00:00Z", "x") == ["end"])
        #expect(fields("2026-11-18T20:00:00Z", "2026-11-19T20:00:01Z", "x") == ["end"])
        #expect(fields("2026-11-20T11:00:00Z", "2026-11-20T13:00:00Z", "") == ["end", "note"])
    }
}
