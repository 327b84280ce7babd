import Foundation
import Testing

@testable import TierdeskCore

/// The checklist and figures over a small November 2026 history in Europe/Berlin (CET, UTC+1), every
/// expectation worked out by hand from the events below.
@Suite struct OperatingReportTests {
    static let agent = UUID()
    static let requester = UUID()
    static let unprivileged = UUID()
    static let privileged = UUID()
    static let organisation = UUID()
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let oldArticle = UUID()
    static let newArticle = UUID()
    static let now = at("2026-11-30T23:05:00Z")

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    /// A history under construction: the ticket and its events, oldest first.
    struct History {
        var ticket: Ticket
        var events: [TicketEvent] = []

        init(
            _ number: Int,
            _ created: String,
            priority: Priority,
            severity: Severity? = nil,
            channel: Channel = .portal
        ) {
            ticket = Ticket(
                id: UUID(),
                number: number,
                type: .incident,
                channel: channel,
                title: "T\(number)",
                description: "d",
                requesterID: OperatingReportTests.requester,
                organisationID: OperatingReportTests.organisation,
                serviceID: nil,
                impact: .medium,
                urgency: .medium,
                priority: priority,
                severity: severity ?? Severity(derivedFrom: priority),
                status: .new,
                tier: .l1,
                group: nil,
                ownerID: nil,
                vendorID: nil,
                workaroundApplied: false,
                requestedBy: nil,
                version: 1,
                createdAt: OperatingReportTests.at(created),
                updatedAt: OperatingReportTests.at(created)
            )
        }

        mutating func add(
            _ kind: TicketEventKind,
            _ when: String,
            field: String? = nil,
            before: String? = nil,
            after: String? = nil,
            body: String? = nil,
            by actor: UUID = OperatingReportTests.agent,
            staff: Bool = true
        ) {
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: kind,
                    actorID: actor,
                    at: OperatingReportTests.at(when),
                    field: field,
                    before: before,
                    after: after,
                    body: body,
                    byStaff: staff
                )
            )
        }

        mutating func status(_ from: TicketStatus, _ to: TicketStatus, _ when: String) {
            add(.statusChanged, when, field: "status", before: from.rawValue, after: to.rawValue)
            ticket.status = to
        }

        mutating func reply(_ when: String, staff: Bool = true) {
            add(
                .publicReply,
                when,
                body: "x",
                by: staff ? OperatingReportTests.agent : OperatingReportTests.requester,
                staff: staff
            )
        }

        mutating func escalate(_ from: Tier, _ to: Tier, _ when: String, evidence: String = "Reason: r") {
            add(.escalated, when, field: "tier", before: from.rawValue, after: to.rawValue, body: evidence)
            ticket.tier = to
        }

        mutating func deescalate(_ from: Tier, _ to: Tier, _ when: String) {
            add(.deescalated, when, field: "tier", before: from.rawValue, after: to.rawValue, body: "back")
            ticket.tier = to
        }

        func facts() -> TicketFacts {
            TicketFacts.derive(ticket: ticket, events: events, policy: .standard, now: OperatingReportTests.now)
        }
    }

    /// A: P3, answered after 30 minutes and resolved at L1 within the hour; its priority was raised from P4.
    static var a: History {
        var h = History(1, "2026-11-03T09:00:00Z", priority: .p3)
        h.reply("2026-11-03T09:30:00Z")
        h.add(.fieldChanged, "2026-11-03T09:40:00Z", field: "priority", before: "P4", after: "P3")
        h.status(.new, .resolved, "2026-11-03T10:00:00Z")
        return h
    }

    /// B: P2 by mail, escalated L1→L2→L3 (with steps and logs), handed back to L2, paused for the customer
    /// 10:30–11:45, resolved at L2 at 13:00.
    static var b: History {
        var h = History(2, "2026-11-04T08:00:00Z", priority: .p2, channel: .email)
        h.reply("2026-11-04T08:30:00Z")
        h.escalate(.l1, .l2, "2026-11-04T09:00:00Z", evidence: "Reason: r\n\nTried: restart")
        h.escalate(
            .l2,
            .l3,
            "2026-11-04T10:00:00Z",
            evidence: "Reason: r\n\nReproduction steps: s\n\nLog extract: l"
        )
        h.status(.new, .pendingCustomer, "2026-11-04T10:30:00Z")
        h.status(.pendingCustomer, .inProgress, "2026-11-04T11:45:00Z")
        h.deescalate(.l3, .l2, "2026-11-04T12:00:00Z")
        h.status(.inProgress, .resolved, "2026-11-04T13:00:00Z")
        return h
    }

    /// C: P4, resolved from the KEDB at L1 after 20 minutes, reopened by the requester next morning and
    /// resolved again an hour later.
    static var c: History {
        var h = History(3, "2026-11-10T08:00:00Z", priority: .p4)
        h.add(
            .knownErrorApplied,
            "2026-11-10T08:20:00Z",
            field: "knownErrorId",
            before: "L1",
            after: "KE-1",
            body: "Resolved from KEDB at L1"
        )
        h.status(.new, .resolved, "2026-11-10T08:20:00Z")
        h.reply("2026-11-11T08:00:00Z", staff: false)
        h.status(.resolved, .inProgress, "2026-11-11T08:00:00Z")
        h.status(.inProgress, .resolved, "2026-11-11T09:00:00Z")
        return h
    }

    /// D: Sev1 from monitoring at night, answered after 20 minutes, escalated from L1 although an article was
    /// linked there, to L3 without evidence and to the vendor without the root cause; a correction by someone
    /// without the privilege; on hold with the vendor at the month's end.
    static var d: History {
        var h = History(4, "2026-11-20T02:00:00Z", priority: .p1, channel: .monitoring)
        h.reply("2026-11-20T02:20:00Z")
        h.add(
            .knownErrorApplied,
            "2026-11-20T02:25:00Z",
            field: "knownErrorId",
            before: "L1",
            after: "KE-1",
            body: "Linked at L1"
        )
        h.escalate(.l1, .l2, "2026-11-20T02:30:00Z")
        h.escalate(.l2, .l3, "2026-11-20T02:40:00Z")
        h.add(.dataCorrection, "2026-11-20T02:50:00Z", body: "fixed the order", by: OperatingReportTests.unprivileged)
        h.escalate(.l3, .l4, "2026-11-20T03:00:00Z")
        h.status(.new, .onHold, "2026-11-20T03:00:00Z")
        h.reply("2026-11-20T03:00:00Z")
        return h
    }

    /// E: Sev1 by phone, answered in 5 minutes, escalated to L2, corrected by an L2 agent, resolved as a
    /// confirmed defect with an article written for it.
    static var e: History {
        var h = History(5, "2026-11-25T12:00:00Z", priority: .p1, channel: .phone)
        h.reply("2026-11-25T12:05:00Z")
        h.escalate(.l1, .l2, "2026-11-25T12:06:00Z", evidence: "Reason: r\n\nTried: t")
        h.add(.dataCorrection, "2026-11-25T12:10:00Z", body: "reset the stock", by: OperatingReportTests.privileged)
        h.status(.new, .resolved, "2026-11-25T13:00:00Z")
        h.ticket.resolution = .confirmedDefectFixed
        h.ticket.knownErrorID = OperatingReportTests.newArticle
        return h
    }

    /// F: P5 by mail, opened on Friday 30 October, resolved from the KEDB at L1 on Monday 2 November.
    static var f: History {
        var h = History(6, "2026-10-30T10:00:00Z", priority: .p5, channel: .email)
        h.add(
            .knownErrorApplied,
            "2026-11-02T10:00:00Z",
            field: "knownErrorId",
            before: "L1",
            after: "KE-1",
            body: "Resolved from KEDB at L1"
        )
        h.status(.new, .resolved, "2026-11-02T10:00:00Z")
        return h
    }

    /// G: Sev1 from monitoring five minutes before the month ends, not answered yet.
    static var g: History { History(7, "2026-11-30T22:55:00Z", priority: .p1, channel: .monitoring) }

    static var report: OperatingReport {
        OperatingReport(
            facts: [a, b, c, d, e, f, g].map { $0.facts() },
            now: now,
            knownErrorsCreated: [oldArticle: at("2026-09-01T10:00:00Z"), newArticle: at("2026-11-25T12:50:00Z")],
            correctors: [privileged],
            onCallCoverage: [ReportPeriod.month(year: 2026, month: 11, in: berlin).start: 1]
        )
    }

    static let november = try! ReportPeriod(parsing: "2026-11", in: berlin)

    // MARK: periods

    @Test func periodsRunFromLocalMidnightToLocalMidnightAcrossDaylightSaving() throws {
        #expect(Self.november.start == Self.at("2026-10-31T23:00:00Z"))
        #expect(Self.november.end == Self.at("2026-11-30T23:00:00Z"))
        let autumn = try ReportPeriod(parsing: "2026-10-25", in: Self.berlin)
        #expect(autumn.end.timeIntervalSince(autumn.start) == 25 * 3600)
        let spring = try ReportPeriod(parsing: "2026-03-29", in: Self.berlin)
        #expect(spring.end.timeIntervalSince(spring.start) == 23 * 3600)
        let week = try ReportPeriod(parsing: "2026-W44", in: Self.berlin)
        #expect(week.first == LocalDate(year: 2026, month: 10, day: 26))
        #expect(week.start == Self.at("2026-10-25T23:00:00Z"))
        #expect(week.label == "2026-W44")
        let custom = try ReportPeriod(parsing: "2026-11-01..2026-11-15", in: Self.berlin)
        #expect(custom.previous.label == "2026-10-17..2026-10-31")
        #expect(Self.november.previous.label == "2026-10")
        #expect(try ReportPeriod(parsing: "2026-01", in: Self.berlin).previous.label == "2025-12")
        #expect(Self.november.trailing(12).map(\.label).first == "2025-12")
        #expect(
            ReportPeriod.containing(Self.at("2026-11-30T23:30:00Z"), kind: .month, in: Self.berlin).label == "2026-12"
        )
    }

    @Test func badPeriodsAreRefusedWithTheFormsAllowed() {
        for text in ["2026-13", "2026-W54", "nonsense", "2026-11-20..2026-11-01", "2026-01-01..2027-12-31"] {
            #expect(throws: ValidationFailure.self) { try ReportPeriod(parsing: text, in: Self.berlin) }
        }
    }

    // MARK: facts

    @Test func escalationsAndHandBacksAreTracedByTier() {
        let b = Self.b.facts()
        #expect(b.openedTier == .l1)
        #expect(b.resolvedTier == .l2)
        #expect(b.handoffs == 3)
        #expect(b.escalations.map(\.to) == [.l2, .l3])
        #expect(b.escalations.map(\.carriesStepsAndLogs) == [false, true])
        #expect(b.tier(at: Self.at("2026-11-04T10:30:00Z")) == .l3)
        #expect(!b.firstContactResolution)
        // Running 08:00–10:30 and 11:45–13:00 on a Wednesday inside office hours.
        #expect(b.businessSecondsToResolve == 13_500)
    }

    @Test func routingByTriageWithTheCreationIsWhereItOpenedButAnEscalationThenIsAHandOff() {
        var h = History(9, "2026-11-05T08:00:00Z", priority: .p3)
        h.add(.tierChanged, "2026-11-05T08:00:00Z", field: "tier", before: "L1", after: "L2")
        h.ticket.tier = .l2
        #expect(h.facts().openedTier == .l2)
        #expect(h.facts().handoffs == 0)
        h.escalate(.l2, .l3, "2026-11-05T08:00:00Z", evidence: "Reason: r")
        #expect(h.facts().handoffs == 1)
        #expect(h.facts().escalations.map(\.from) == [.l2])
        #expect(h.facts().tier(at: Self.at("2026-11-05T08:00:00Z")) == .l3)
    }

    @Test func aReopenedTicketCountsOnceAndLosesItsFirstContactAndKnownErrorResolution() {
        let c = Self.c.facts()
        #expect(c.reopens == 1)
        #expect(c.requesterFollowUps == 1)
        #expect(c.resolvedAt == Self.at("2026-11-11T09:00:00Z"))
        #expect(!c.resolvedFromKnownErrorAtL1)
        #expect(!c.firstContactResolution)
        #expect(c.openSpans.count == 2)
        #expect(!c.isOpen(at: Self.at("2026-11-10T12:00:00Z")))
        #expect(c.isOpen(at: Self.at("2026-11-11T08:30:00Z")))
        #expect(c.businessSecondsToResolve == 4_800)
    }

    @Test func aTicketRaisedToSev1IsTimedFromTheRaise() {
        var h = History(8, "2026-11-05T08:00:00Z", priority: .p3)
        h.reply("2026-11-05T08:05:00Z")
        h.add(.fieldChanged, "2026-11-05T09:00:00Z", field: "severity", before: "Sev3", after: "Sev1")
        h.add(.fieldChanged, "2026-11-05T09:00:00Z", field: "priority", before: "P3", after: "P1")
        h.ticket.severity = .sev1
        h.ticket.priority = .p1
        h.reply("2026-11-05T09:10:00Z")
        let facts = h.facts()
        #expect(facts.sev1Since == Self.at("2026-11-05T09:00:00Z"))
        #expect(facts.sev1AnsweredAt == Self.at("2026-11-05T09:10:00Z"))
        #expect(facts.respondedAt == Self.at("2026-11-05T08:05:00Z"))
    }

    @Test func aBreachIsChargedToTheTierHoldingTheTicketWhenItFellDue() {
        let d = Self.d.facts()
        let first = d.clocks.first { $0.kind == .firstResponse }
        #expect(first?.state == .breached)
        #expect(first?.tierAtDue == .l1)
        #expect(d.clocks.first { $0.kind == .resolution }?.state == .paused)
    }

    @Test func aMissedUpdateRecordedByTheTimerStaysBreachedAfterResolution() {
        var h = Self.e
        h.add(.slaAlarm, "2026-11-25T12:40:00Z", field: "nextUpdate", before: "2026-11-25T12:40:00Z", after: "breach")
        let clock = h.facts().clocks.first { $0.kind == .nextUpdate }
        #expect(clock?.state == .breached)
        #expect(clock?.tierAtDue == .l2)
        #expect(Self.e.facts().clocks.first { $0.kind == .nextUpdate }?.state == .met)
    }

    // MARK: checklist

    @Test func theChecklistOfNovember() {
        let controls = Dictionary(uniqueKeysWithValues: Self.report.checklist(for: Self.november).map { ($0.id, $0) })
        // Resolved in November: A, C, F at L1; B, E at L2 → 60 %: held, but only just.
        #expect(controls[.l1Resolution].map { ($0.count, $0.total, $0.status) }! == (3, 5, .atRisk))
        // L2→L3: B with steps and logs, D without.
        #expect(controls[.escalationQuality].map { ($0.count, $0.total, $0.status) }! == (1, 2, .missed))
        // Sev1: D answered after 20 minutes, E after 5, G still inside its 15.
        #expect(controls[.sev1Response].map { ($0.count, $0.total, $0.status) }! == (2, 3, .missed))
        #expect(controls[.vendorTickets].map { ($0.count, $0.total, $0.status) }! == (0, 1, .missed))
        #expect(controls[.privilegedAccess].map { ($0.count, $0.total, $0.status) }! == (1, 2, .missed))
        #expect(controls[.knownErrors].map { ($0.count, $0.total, $0.status) }! == (1, 1, .met))
        #expect(controls[.onCallCoverage].map { ($0.value, $0.status) }! == (1, .met))
        let trend = controls[.l1Resolution]!.trend
        #expect(trend.count == 12)
        #expect(trend.last?.period == "2026-11")
        #expect(trend.dropLast().allSatisfy { $0.status == .noData })
        #expect(controls[.onCallCoverage]!.trend.first?.status == .noData)
    }

    @Test func aSev1StillInsideItsFifteenMinutesIsAtRisk() throws {
        let day = try ReportPeriod(parsing: "2026-11-30", in: Self.berlin)
        let control = Self.report.checklist(for: day).first { $0.id == .sev1Response }!
        #expect((control.count, control.total, control.status) == (1, 1, .atRisk))
        #expect(Self.report.tickets(.sev1, in: day).map(\.number) == [7])
    }

    @Test func everyControlDrillsDownToTheTicketsItCounted() {
        let report = Self.report
        #expect(report.tickets(.resolvedAt(.l1), in: Self.november).map(\.number) == [6, 3, 1])
        #expect(report.tickets(.escalatedToL3WithoutEvidence, in: Self.november).map(\.number) == [4])
        #expect(report.tickets(.sev1Late, in: Self.november).map(\.number) == [4])
        #expect(report.tickets(.correctedWithoutPrivilege, in: Self.november).map(\.number) == [4])
        #expect(report.tickets(.escalatedDespiteKnownError, in: Self.november).map(\.number) == [4])
        for slice in [
            ReportSlice.resolvedAt(.l2), .clock(.firstResponse, .breached), .channel(.monitoring), .backlogAt(.l4),
        ] {
            #expect(ReportSlice(name: slice.name) == slice)
        }
        #expect(ReportSlice(name: "resolved:L9") == nil)
    }

    // MARK: figures

    @Test func theFiguresOfNovember() {
        let figures = Self.report.figures(for: Self.november)
        #expect(figures.opened == 6)
        #expect(figures.resolved == 5)
        #expect(figures.tiers.map { [$0.resolved, $0.afterEscalation] } == [[3, 0], [2, 2], [0, 0], [0, 0]])
        #expect(figures.tiers.first?.share == 0.6)
        // A and F: no hand-off, reopening or follow-up.
        #expect(figures.firstContact == 2)
        #expect(figures.escalatedDespiteKnownError == 1)
        #expect(figures.reopened == 1)
        #expect(figures.handoffsPerTicket == 0.8)
        #expect(
            figures.byChannel.map { "\($0.channel.rawValue)=\($0.count)" } == [
                "portal=2", "email=1", "phone=1", "monitoring=2",
            ]
        )
        var hours = Array(repeating: 0, count: 24)
        hours[10] = 1  // A 09:00Z
        hours[9] = 2  // B, C 08:00Z
        hours[3] = 1  // D 02:00Z
        hours[13] = 1  // E 12:00Z
        hours[23] = 1  // G 22:55Z
        #expect(figures.byHour == hours)
        #expect(figures.knownErrorsWritten == 1)
        #expect(figures.confirmedFixes == 1)
        #expect(figures.resolvedFromKnownErrorAtL1 == 1)
        #expect((figures.toVendor, figures.toVendorStandardProduct) == (1, 0))
        #expect(
            Set(figures.correctors.map { "\($0.personID!)=\($0.privileged)" }) == [
                "\(Self.unprivileged)=false", "\(Self.privileged)=true",
            ]
        )
        let corrections = Self.report.corrections(in: Self.november)
        #expect(corrections.map(\.ticketNumber) == [4, 5])
        #expect(corrections.first?.reason == "fixed the order")
    }

    @Test func slaComplianceBreachesAndMeanTimesOfNovember() {
        let figures = Self.report.figures(for: Self.november)
        func row(_ priority: Priority, _ clock: SLAClockKind) -> [Int]? {
            figures.compliance.first { $0.priority == priority && $0.clock == clock }
                .map { [$0.met, $0.breached, $0.running, $0.paused] }
        }
        #expect(row(.p1, .firstResponse) == [1, 1, 1, 0])
        #expect(row(.p1, .nextUpdate) == [1, 0, 1, 1])
        #expect(row(.p1, .resolution) == [1, 0, 1, 1])
        #expect(row(.p2, .nextUpdate) == [1, 0, 0, 0])
        #expect(row(.p3, .firstResponse) == [1, 0, 0, 0])
        #expect(row(.p4, .resolution) == [1, 0, 0, 0])
        #expect(row(.p5, .resolution) == nil)  // F was opened in October
        #expect(figures.breaches == [ReportFigures.Breaches(clock: .firstResponse, tier: .l1, count: 1)])
        // Responses: A 30 min, B 30 min, C 20 min (its resolution), D 20 min, E 5 min.
        #expect(figures.timeToRespond == ReportFigures.MeanTime(tickets: 5, wallSeconds: 1_260, businessSeconds: 1_275))
        // Resolutions: A 1 h, B 5 h, C 25 h, E 1 h, F 3 days; business time 1 h, 3.75 h, 1 h 20 min, 1 h, 9 h.
        #expect(
            figures.timeToResolve == ReportFigures.MeanTime(tickets: 5, wallSeconds: 74_880, businessSeconds: 11_580)
        )
    }

    @Test func backlogAndFlowSpanPeriods() {
        let figures = Self.report.figures(for: Self.november)
        #expect(figures.backlogAt == Self.november.end)
        #expect(
            figures.backlog.map(\.byAge) == [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 1, 0]]
        )
        #expect(figures.flow.suffix(2).map { [$0.opened, $0.resolved] } == [[1, 0], [6, 5]])
        let october = Self.report.figures(for: Self.november.previous)
        #expect(october.backlog.first?.byAge == [0, 1, 0, 0, 0])  // F, opened 30 Oct, still open at the end
    }

    @Test func filtersNarrowEveryFigure() {
        let report = OperatingReport(
            facts: [Self.a, Self.b, Self.c, Self.d, Self.e, Self.f, Self.g].map { $0.facts() },
            filter: ReportFilter(channel: .email),
            now: Self.now
        )
        #expect(report.tickets(.resolved, in: Self.november).map(\.number) == [6, 2])
        #expect(report.figures(for: Self.november).opened == 1)
    }

    // MARK: customer report

    @Test func theCustomerReportCountsPrioritiesAndServiceAvailabilityFromSev1Time() {
        let line = UUID()
        var e = Self.e
        e.ticket.serviceID = line
        let report = OperatingReport(
            facts: [Self.a, Self.b, Self.c, Self.d, e, Self.f, Self.g].map { $0.facts() },
            filter: ReportFilter(organisationID: Self.organisation),
            now: Self.now
        )
        .customerReport(for: Self.november)
        #expect(
            report.byPriority.map { "\($0.priority.rawValue) \($0.opened)/\($0.resolved)" } == [
                "P1 3/1", "P2 1/1", "P3 1/1", "P4 1/1", "P5 0/1",
            ]
        )
        #expect(report.measuredSeconds == 30 * 86_400)
        // D stood open as Sev1 from 20 November 02:00 to the month's end; G's five minutes lie inside it.
        let unassigned = report.availability.first { $0.serviceID == nil }
        #expect(unassigned?.sev1Tickets == 2)
        #expect(unassigned?.downtimeSeconds == 939_600)
        #expect(unassigned.map { abs($0.ratio - (1 - 939_600.0 / 2_592_000)) < 1e-9 } == true)
        let serviced = report.availability.first { $0.serviceID == line }
        #expect(serviced.map { [$0.sev1Tickets, Int($0.downtimeSeconds)] } == [1, 3_600])
        #expect(report.compliance == Self.report.figures(for: Self.november).compliance)
        // Another organisation's report holds nothing of this one.
        let other = OperatingReport(
            facts: [Self.a, Self.d].map { $0.facts() },
            filter: ReportFilter(organisationID: UUID()),
            now: Self.now
        )
        .customerReport(for: Self.november)
        #expect(other.byPriority.isEmpty && other.availability.isEmpty)
    }

    @Test func aReopenedSev1IsDownOnlyWhileItIsOpen() {
        // Resolved after two hours on 2 November, reopened by a reply on 20 November, resolved an hour later.
        var h = History(10, "2026-11-02T01:00:00Z", priority: .p1)
        h.reply("2026-11-02T01:05:00Z")
        h.status(.new, .resolved, "2026-11-02T03:00:00Z")
        h.reply("2026-11-20T09:00:00Z", staff: false)
        h.status(.resolved, .inProgress, "2026-11-20T09:00:00Z")
        h.status(.inProgress, .resolved, "2026-11-20T10:00:00Z")
        let report = OperatingReport(facts: [h.facts()], now: Self.now).customerReport(for: Self.november)
        #expect(report.availability.map(\.downtimeSeconds) == [3 * 3_600])
        #expect(report.availability.map(\.sev1Tickets) == [1])
    }

    @Test func overlappingOutagesCountOnce() {
        func at(_ minutes: Double) -> Date { Self.now.addingTimeInterval(minutes * 60) }
        #expect(
            OperatingReport.union([(at(0), at(10)), (at(5), at(20)), (at(30), at(40)), (at(35), at(36))]) == 30 * 60
        )
        #expect(OperatingReport.union([]) == 0)
    }

    // MARK: alerts and digest

    @Test func everyBreachOfTheMonthIsAnAlertWithAKeyOfItsOwn() throws {
        let week = try ReportPeriod(parsing: "2026-W48", in: Self.berlin)
        let alerts = ChecklistAlert.alerts(in: Self.report, recent: Self.november, lastWeek: week)
        #expect(
            alerts.map(\.key) == [
                "sev1_response:TD-4", "escalation_quality:TD-4", "vendor_tickets:TD-4", "privileged_access:TD-4",
                "l1_resolution:2026-W48",
            ]
        )
        #expect(alerts.first?.subject == "Checklist missed: Sev1 response · TD-4")
        #expect(alerts.last?.text.hasPrefix("L1 resolved 0 of the 1 tickets resolved in 2026-W48 (0 %).") == true)
        // The same history gives the same keys, so a breach is raised once however often it is looked for.
        #expect(ChecklistAlert.alerts(in: Self.report, recent: Self.november, lastWeek: week) == alerts)
        let gap = CoverageGap(
            role: .secondary,
            start: Self.at("2026-11-30T23:00:00Z"),
            end: Self.at("2026-12-01T07:00:00Z")
        )
        let schedule = UUID()
        let alert = ChecklistAlert.coverageGap(gap, schedule: "Production", scheduleID: schedule, in: Self.berlin)
        #expect(alert.key == "oncall_coverage:\(schedule.uuidString):secondary:2026-11-30T23:00:00Z")
        #expect(alert.subject == "Checklist at risk: nobody is secondary on call for Production from 2026-12-01 00:00")
    }

    @Test func theDigestListsTheChecklistAndTheOffendersOfEachMissedControl() {
        let digest = ReportDigest.mail(
            of: Self.report,
            period: Self.november,
            link: "https://desk.example/console/reports"
        )
        #expect(
            digest.subject
                == "Weekly checklist 2026-11: 4 missed (Escalation quality, Sev1 response, Vendor tickets, Privileged access)"
        )
        #expect(digest.text.contains("- L1 resolution rate: 60 % (3 of 5) · at risk"))
        #expect(digest.text.contains("- On-call coverage: 100 % · met"))
        #expect(digest.text.contains("Sev1 response — every Sev1 is answered within 15 minutes, 24/7:\n  TD-4 P1 T4"))
        #expect(
            digest.text.contains(
                "Opened 6, resolved 5, first-contact resolution 2, reopened 1; open at the end of the week: 2."
            )
        )
        #expect(digest.text.contains("The full report: https://desk.example/console/reports"))
    }

    // MARK: on call

    @Test func pagesPerPersonTimeToAcknowledgeAndOutOfHoursLoad() {
        let ben = UUID()
        let chen = UUID()
        let policy = UUID()
        func page(_ started: String, acknowledged: String?, by person: UUID?) -> OnCallPage {
            var page = OnCallPage(
                id: UUID(),
                ticketID: nil,
                policyID: policy,
                title: "Line 3 halted",
                severity: .sev1,
                origin: .manual,
                status: acknowledged == nil ? .triggered : .acknowledged,
                startedAt: Self.at(started),
                nextStepAt: nil
            )
            page.acknowledgedAt = acknowledged.map(Self.at)
            page.acknowledgedBy = person
            return page
        }
        let first = page("2026-11-10T01:00:00Z", acknowledged: "2026-11-10T01:06:00Z", by: ben)
        let second = page("2026-11-20T02:00:00Z", acknowledged: "2026-11-20T02:12:00Z", by: chen)
        // Started in October: its acknowledgement does not count in November.
        let earlier = page("2026-10-31T22:00:00Z", acknowledged: "2026-10-31T22:59:00Z", by: ben)
        let notified = [
            PageEvent(pageID: first.id, at: Self.at("2026-11-10T01:00:00Z"), kind: .notified, step: 0, personID: ben),
            PageEvent(pageID: second.id, at: Self.at("2026-11-20T02:00:00Z"), kind: .notified, step: 0, personID: ben),
            PageEvent(pageID: second.id, at: Self.at("2026-11-20T02:05:00Z"), kind: .notified, step: 1, personID: chen),
            PageEvent(pageID: second.id, at: Self.at("2026-11-20T02:12:00Z"), kind: .acknowledged, personID: chen),
        ]
        let lines = [
            TimeOffInLieu.Line(
                personID: chen,
                pageSeconds: 7_200,
                ticketSeconds: 0,
                totalSeconds: 7_200,
                pagesOutOfHours: 1
            )
        ]
        let figures = OnCallFigures(
            notifications: notified,
            acknowledgedPages: [first, second, earlier],
            outOfHours: lines,
            period: Self.november
        )
        #expect(figures.pagesNotified == 2)
        #expect(figures.acknowledged == 2)
        // 6 and 12 minutes.
        #expect(figures.meanSecondsToAcknowledge == 540)
        #expect(figures.people.map(\.personID) == [ben, chen])
        #expect(figures.people.map(\.notifications) == [2, 1])
        #expect(figures.people.map(\.acknowledged) == [1, 1])
        #expect(figures.people.map(\.outOfHoursSeconds) == [0, 7_200])
    }

    @Test func aRotaWithoutASecondaryLayerIsNotMissingASecondary() throws {
        let ben = UUID()
        let owners = try OnCallScheduleSpec(
            name: "Operations owner",
            timeZone: "Europe/Berlin",
            layers: [.init(role: .primary, members: [ben], startsOn: "2026-01-05")]
        )
        .schedule(id: UUID())
        let production = try OnCallScheduleSpec(
            name: "Production",
            timeZone: "Europe/Berlin",
            layers: [.init(role: .primary, members: [ben], startsOn: "2026-01-05")]
        )
        .schedule(id: UUID())
        let range = Self.november.start..<Self.november.end
        // Both rotas have a primary all month; only the one meant to be paired misses its secondary.
        #expect(ScheduleCoverage.staffedRatio([(owners, owners.coverage(in: range))]) == 1)
        #expect(ScheduleCoverage.combinedRatio([owners.coverage(in: range)]) == 0.5)
        #expect(ScheduleCoverage.staffedRoles(of: production) == [.primary])
        #expect(ScheduleCoverage.staffedRatio([]) == 0)
    }
}
