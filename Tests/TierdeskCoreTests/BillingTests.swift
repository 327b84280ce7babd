import Foundation
import Testing

@testable import TierdeskCore

/// Plans, statements, the notice rule, contract policies and project scope, with hand-checked figures.
@Suite struct BillingTests {
    static let agent = UUID()
    static let now = Timestamp.parse("2026-12-01T09:00:00Z")!
    static let london = TimeZone(identifier: "Europe/London")!

    /// Seed 004's Tier 1: 10 hours a month for GBP 450, overage 85/h, out of scope 95/h, projects 75/h,
    /// rounded up to 15 minutes with a 30-minute minimum per ticket.
    static let tier1 = SupportPlan(
        name: "Tier 1",
        includedMinutes: 600,
        monthlyFee: 45_000,
        currency: "GBP",
        overageRate: 8_500,
        outOfScopeRate: 9_500,
        projectRate: 7_500,
        roundingMinutes: 15,
        minimumMinutes: 30,
        createdAt: now,
        updatedAt: now
    )

    static func work(
        _ ticket: Int,
        _ minutes: Int,
        _ category: TimeCategory = .breakFix,
        billable: Bool = true,
        scope: BillingScope.Kind = .inScope
    ) -> MonthlyStatement.Work {
        let start = Timestamp.parse("2026-11-10T10:00:00Z")!
        let entry = TimeEntry(
            personID: agent,
            ticketID: UUID(),
            start: start,
            end: start.addingTimeInterval(Double(minutes) * 60),
            note: "work",
            billable: billable,
            category: category,
            recordedBy: agent,
            recordedAt: now
        )
        return MonthlyStatement.Work(
            entry: entry,
            ticketReference: TicketReference.format(ticket),
            ticketTitle: "Ticket \(ticket)",
            scope: scope,
            projectReference: scope == .project ? "PRJ-1" : nil
        )
    }

    @Test func tier1StatementMatchesTheHandCalculation() {
        let organisation = Organisation(id: UUID(), name: "Kessler", sharesTickets: true, createdAt: Self.now)
        let cost = VendorCost(
            ticketID: UUID(),
            vendorID: nil,
            amount: Money(minor: 12_000, currency: "GBP"),
            note: "NordERP support call",
            incurredAt: Timestamp.parse("2026-11-12T10:00:00Z")!,
            recordedBy: Self.agent,
            recordedAt: Self.now
        )
        let statement = MonthlyStatement.build(
            organisation: organisation,
            month: CalendarMonth(year: 2026, month: 11)!,
            plan: Self.tier1,
            work: [
                Self.work(1, 50),  // TD-1: 50 + 20 = 70 → 75
                Self.work(1, 20, .recommendation),
                Self.work(2, 10),  // TD-2: 10 → 15 → minimum 30
                Self.work(3, 515),  // TD-3: 515 → 525
                Self.work(3, 40, billable: false),  // not billed
                Self.work(4, 50, scope: .outOfScope),  // 50 → 60 at 95/h = 95.00
                Self.work(5, 100, scope: .project),  // 100 → 105 at 75/h = 131.25
                Self.work(6, 25, scope: .guidanceOnly),  // guidance only: not billed
            ],
            vendorCosts: [(cost, "TD-3")]
        )
        #expect(statement.lines.map(\.ticketReference) == ["TD-1", "TD-2", "TD-3", "TD-4", "TD-5"])
        #expect(statement.lines.map(\.billedMinutes) == [75, 30, 525, 60, 105])
        #expect(statement.lines[0].categories == ["break_fix": 50, "recommendation": 20])
        #expect(statement.usedMinutes == 630)
        #expect(statement.overageMinutes == 30)
        #expect(statement.overageAmount == 4_250)  // 30 min at 85/h
        #expect(statement.outOfScopeAmount == 9_500)
        #expect(statement.projectAmount == 13_125)
        #expect(statement.lines[4].projectReference == "PRJ-1")
        #expect(statement.vendorAmount == 12_000)
        #expect(statement.unbilledMinutes == 65)
        #expect(statement.total == 83_875)  // 450 + 42.50 + 95 + 131.25 + 120 = 838.75
        #expect(statement.usedPercent == 105)
        #expect(statement.remainingMinutes == 0)
        #expect(statement.warningLevelsReached == [80, 100])
        #expect(Money(minor: statement.total, currency: "GBP").text == "GBP 838.75")
    }

    @Test func unlimitedAndPayAsYouGoPlans() {
        var unlimited = Self.tier1
        unlimited.includedMinutes = nil
        let organisation = Organisation(id: UUID(), name: "Line 3", sharesTickets: false, createdAt: Self.now)
        let month = CalendarMonth(year: 2026, month: 11)!
        let big = MonthlyStatement.build(
            organisation: organisation,
            month: month,
            plan: unlimited,
            work: [Self.work(1, 6_000)],
            vendorCosts: []
        )
        #expect(big.overageMinutes == 0 && big.usedPercent == nil && big.warningLevelsReached.isEmpty)
        var payg = Self.tier1
        payg.includedMinutes = 0
        payg.monthlyFee = 0
        #expect(payg.isPayAsYouGo)
        let billed = MonthlyStatement.build(
            organisation: organisation,
            month: month,
            plan: payg,
            work: [Self.work(1, 7)],
            vendorCosts: []
        )
        // 7 minutes → 15 → minimum 30, all overage at 85/h.
        #expect(billed.overageMinutes == 30 && billed.total == 4_250)
        #expect(Money.minor(forMinutes: 7, ratePerHour: 8_500) == 992)
        #expect(Money.minorUnits("85.5") == 8_550 && Money.minorUnits("-1") == nil && Money.minorUnits("1.234") == nil)
        #expect(Money.minorUnits(typed: "1,450.00") == 145_000 && Money.minorUnits(typed: "70,5") == 7_050)
        #expect(Money.minorUnits(typed: "1,450") == 145_000 && Money.minorUnits(typed: "1,2,3") == 12_300)
    }

    @Test func planChecksNameEveryBadField() {
        var plan = Self.tier1
        plan.currency = "pounds"
        plan.roundingMinutes = 0
        plan.overageRate = -1
        #expect(throws: ValidationFailure.self) { try plan.validated() }
        do {
            _ = try plan.validated()
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["currency", "roundingMinutes", "overageRate"])
        }
    }

    @Test func twoWeeksNoticeDecidesRequestsOnly() {
        let opened = Timestamp.parse("2026-12-01T09:00:00Z")!
        let soon = opened.addingTimeInterval(13 * 86_400)
        let later = opened.addingTimeInterval(14 * 86_400)
        #expect(
            NoticeRule.decide(type: .serviceRequest, priority: .p3, neededBy: soon, openedAt: opened, noticeDays: 14)
                == .shortNotice
        )
        #expect(
            NoticeRule.decide(type: .incident, priority: .p4, neededBy: later, openedAt: opened, noticeDays: 14)
                == .enoughNotice(due: later)
        )
        #expect(
            NoticeRule.decide(type: .incident, priority: .p2, neededBy: soon, openedAt: opened, noticeDays: 14)
                == .notApplicable
        )
        let reply = NoticeRule.reply(
            template: NoticeRule.standardReply,
            neededBy: Timestamp.parse("2026-12-13T23:30:00Z")!,
            noticeDays: 14,
            reference: "TD-9",
            in: TimeZone(identifier: "Europe/Berlin")!
        )
        #expect(reply.hasPrefix("You asked for this by 2026-12-14. Requests like this need 14 days' notice"))
        #expect(throws: ValidationFailure.self) { try NoticeRule.validated(template: "No date here") }
    }

    @Test func contractsBringTheirPlansPolicyFromTheDayTheyStart() throws {
        let organisation = UUID()
        var plan = Self.tier1
        plan.slaPolicy = "premium"
        let old = SupportContract(
            organisationID: organisation,
            planID: UUID(),
            starts: LocalDate("2026-01-01")!,
            ends: LocalDate("2026-11-30")!,
            renews: false,
            createdBy: Self.agent,
            createdAt: Self.now
        )
        let current = SupportContract(
            organisationID: organisation,
            planID: plan.id,
            starts: LocalDate("2026-12-01")!,
            ends: LocalDate("2027-11-30")!,
            createdBy: Self.agent,
            createdAt: Self.now
        )
        let policies = ContractPolicies(contracts: [old, current], plans: [plan.id: plan], zone: Self.london)
        #expect(policies.policy(for: organisation, at: Timestamp.parse("2026-11-30T23:59:00Z")!) == nil)
        #expect(policies.policy(for: organisation, at: Timestamp.parse("2026-12-01T00:00:00Z")!) == "premium")
        // A renewing contract runs on past the end of its first term.
        #expect(policies.policy(for: organisation, at: Timestamp.parse("2028-03-01T00:00:00Z")!) == "premium")
        #expect(SupportContract.inForce(on: LocalDate("2026-06-01")!, among: [old, current]) == old)
        #expect(throws: ValidationFailure.self) {
            try SupportContract(
                organisationID: organisation,
                planID: plan.id,
                starts: LocalDate("2026-12-01")!,
                ends: LocalDate("2026-11-01")!,
                createdBy: Self.agent,
                createdAt: Self.now
            )
            .validated()
        }
    }

    @Test func movingWorkToAProjectStopsTheClocksUntilItMovesBack() {
        var ticket = TicketClocksTests.ticket(priority: .p3, severity: .sev3, status: .inProgress)
        func scope(_ from: BillingScope.Kind, _ to: BillingScope.Kind, _ when: String) -> TicketEvent {
            TicketEvent(
                ticketID: ticket.id,
                kind: .scopeChanged,
                actorID: Self.agent,
                at: TicketClocksTests.at(when),
                field: "scope",
                before: from.rawValue,
                after: to.rawValue,
                byStaff: true
            )
        }
        var events = [
            TicketClocksTests.status(.new, .inProgress, "2026-03-02T08:00:00Z"),
            scope(.inScope, .project, "2026-03-02T10:00:00Z"),
        ]
        func resolution(_ now: String) -> TicketClock? {
            TicketClocks.clocks(for: ticket, events: events, policy: .standard, now: TicketClocksTests.at(now))
                .first { $0.kind == .resolution }
        }
        #expect(resolution("2026-03-03T08:00:00Z")?.state == .met)
        ticket.updatedAt = TicketClocksTests.at("2026-03-03T08:00:00Z")
        #expect(SLAPolicy.standard.plan(for: ticket, history: events).nextDeadline == nil)
        // Back in scope on Tuesday 09:00Z: 3 of 9 business hours were used, 6 remain.
        events.append(scope(.project, .inScope, "2026-03-03T09:00:00Z"))
        #expect(resolution("2026-03-03T09:30:00Z")?.due == TicketClocksTests.at("2026-03-03T15:00:00Z"))
        #expect(resolution("2026-03-03T09:30:00Z")?.state == .running)
    }

    @Test func aDueDateFromEnoughNoticeLeadsTheQueueUnlessFlagged() {
        var ticket = TicketClocksTests.ticket(priority: .p4, severity: .sev3, status: .new)
        ticket.requestedBy = TicketClocksTests.at("2026-03-02T09:00:00Z")
        #expect(SLAPolicy.standard.plan(for: ticket, history: []).nextDeadline == ticket.requestedBy)
        ticket.tags = [NoticeRule.shortNoticeTag]
        #expect(SLAPolicy.standard.plan(for: ticket, history: []).nextDeadline != ticket.requestedBy)
    }
}
