import Foundation
import TierdeskCore

/// The demo's support plans (seed 004's pay as you go, Tier 1, Tier 2 and Tier 3), the customers'
/// contracts, and the time the agents logged on their tickets over the last weeks, written through the
/// billing desk as the agents would have.
enum DemoBilling {
    /// Plans and contracts, set up (by `components`' clock) before the history begins, dated from `today`: Kessler on Tier 2 with recommendations;
    /// BrightCart paid as it went until the first of last month, then moved to Tier 1.
    static func setUp(
        organisations: (kessler: UUID, brightcart: UUID),
        accountManager: UUID,
        today: Date,
        components: AppComponents,
        by admin: Actor
    ) async throws {
        let desk = components.billingDesk
        let now = components.clock.now()
        let zone = try await desk.currentTerms().zone
        func plan(
            _ name: String,
            hours: Int?,
            fee: Int,
            overage: Int,
            extras: [PlanExtra],
            rounding: Int = 15,
            minimum: Int = 15
        ) async throws -> SupportPlan {
            try await desk.save(
                plan: SupportPlan(
                    name: name,
                    includedMinutes: hours.map { $0 * 60 },
                    monthlyFee: fee * 100,
                    currency: "EUR",
                    overageRate: overage * 100,
                    outOfScopeRate: 120 * 100,
                    projectRate: 95 * 100,
                    roundingMinutes: rounding,
                    minimumMinutes: minimum,
                    extras: extras,
                    createdAt: now,
                    updatedAt: now
                ),
                expectedVersion: nil,
                by: admin
            )
        }
        let payg = try await plan("Pay as you go", hours: 0, fee: 0, overage: 130, extras: [], minimum: 30)
        let tier1 = try await plan("Tier 1", hours: 15, fee: 1_450, overage: 115, extras: [])
        let tier2 = try await plan("Tier 2", hours: 40, fee: 3_900, overage: 105, extras: [.recommendations])
        _ = try await plan(
            "Tier 3",
            hours: nil,
            fee: 7_900,
            overage: 0,
            extras: [.recommendations, .monitoring24x7, .automaticUpgrades],
            rounding: 1,
            minimum: 0
        )
        let historyStart = LocalDate(containing: today, in: zone).adding(days: -Int(DemoHistory.days) - 5)
        let lastMonth = CalendarMonth(containing: today, in: zone).previous
        let tier1Start = LocalDate(year: lastMonth.year, month: lastMonth.month, day: 1)
        for (organisation, plan, starts, ends, manager) in [
            (organisations.kessler, tier2.id, historyStart, historyStart.adding(days: 364), true),
            (organisations.brightcart, payg.id, historyStart, nil, false),
            (organisations.brightcart, tier1.id, tier1Start, tier1Start.adding(days: 364), true),
        ] {
            _ = try await desk.add(
                contract: SupportContract(
                    organisationID: organisation,
                    planID: plan,
                    starts: starts,
                    ends: ends,
                    renews: ends != nil,
                    customerSeesBilling: organisation == organisations.kessler,
                    accountManagerID: manager ? accountManager : nil,
                    createdBy: admin.personID,
                    createdAt: now
                ),
                by: admin
            )
        }
    }

    /// Time on the customers' tickets of the last six weeks: whoever owns a ticket logged 10 to 50 minutes
    /// an hour after it opened (an hour more on every ninth), some of it advice on using the system. Only
    /// work that falls within the working hours is logged: out of hours the demo's one night of work is
    /// Ben's page, so the time off in lieu it owes is the same whenever the demo is loaded.
    static func logTime(people: [String: Person], components: AppComponents) async throws {
        let now = components.clock.now()
        let hours = try await components.timeOffDesk.workingHours().calendar
        var query = TicketQuery()
        query.createdFrom = now.addingTimeInterval(-42 * 86_400)
        query.limit = 500
        query.oldestFirst = true
        let tickets = try await components.tickets.list(query, visibility: .all)
            .filter { $0.organisationID != Organisation.internalID }
        let fallback = people["anna"]!
        let staff = Dictionary(people.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for ticket in tickets {
            let start = ticket.createdAt.addingTimeInterval(3_600)
            guard start.addingTimeInterval(6_000) < now else { continue }
            let person = ticket.ownerID.flatMap { staff[$0] }.flatMap { $0.actor.isStaff ? $0 : nil } ?? fallback
            var minutes = 10 + (ticket.number * 37) % 41
            if ticket.number % 9 == 0 { minutes += 60 }
            let end = start.addingTimeInterval(Double(minutes) * 60)
            guard hours.openSeconds(from: start, to: end) == end.timeIntervalSince(start) else { continue }
            let category: TimeCategory = ticket.number % 5 == 0 ? .recommendation : .breakFix
            _ = try await components.with(clock: FixedClock(end))
                .billingDesk
                .logTime(
                    on: ticket.reference,
                    BillingDesk.TimeInput(
                        start: start,
                        end: end,
                        category: category,
                        note: category == .recommendation
                            ? "Showed how to avoid this next time" : "Diagnosed and fixed: \(ticket.title.prefix(80))"
                    ),
                    by: person.actor
                )
        }
    }
}
