import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Measures SLA deadline maths on one core (business-time additions in an office calendar with
/// multi-day targets, deriving the plans of many tickets from their histories) and the recomputation
/// of every open ticket in the database after a calendar edit.
struct SLABench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract:
            "Measure deadline computations per second and the time to recompute the deadlines of many open tickets."
    )

    @Option(help: "Deadline computations to time.") var computations = 200_000
    @Option(help: "Open tickets whose deadlines are recomputed.") var tickets = 100_000

    func run() async throws {
        let calendar = SLAPolicy.standardOffice
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var checksum = 0.0
        let began = ContinuousClock.now
        for index in 0..<computations {
            let created = start.addingTimeInterval(Double(index % 50_000) * 631)
            let minutes = Double(540 * (1 + index % 5) + index % 97)
            checksum += calendar.adding(seconds: minutes * 60, to: created).timeIntervalSince1970
        }
        let additions = ContinuousClock.now - began

        let policy = SLAConfiguration.standard
        let organisation = UUID()
        let histories: [(Ticket, [TicketEvent])] = (0..<tickets)
            .map { index in
                let created = start.addingTimeInterval(Double(index) * 97)
                let ticket = Ticket(
                    id: UUID(),
                    number: index + 1,
                    type: .incident,
                    channel: .api,
                    title: "t",
                    description: "d",
                    requesterID: organisation,
                    organisationID: organisation,
                    serviceID: nil,
                    impact: .medium,
                    urgency: index % 3 == 0 ? .low : .medium,
                    priority: index % 3 == 0 ? .p4 : .p3,
                    severity: .sev3,
                    status: .inProgress,
                    tier: .l1,
                    group: nil,
                    ownerID: nil,
                    vendorID: nil,
                    workaroundApplied: false,
                    requestedBy: nil,
                    version: 3,
                    createdAt: created,
                    updatedAt: created
                )
                let events = [
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .statusChanged,
                        actorID: nil,
                        at: created.addingTimeInterval(600),
                        field: "status",
                        before: "new",
                        after: "pending_customer",
                        byStaff: true
                    ),
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .statusChanged,
                        actorID: nil,
                        at: created.addingTimeInterval(90_000),
                        field: "status",
                        before: "pending_customer",
                        after: "in_progress",
                        byStaff: true
                    ),
                ]
                return (ticket, events)
            }
        let recomputeBegan = ContinuousClock.now
        var found = 0
        for (ticket, events) in histories where policy.plan(for: ticket, history: events).nextDeadline != nil {
            found += 1
        }
        let recompute = ContinuousClock.now - recomputeBegan

        print("SLA benchmark — office calendar (Mon–Fri 08:00–17:00 Europe/Berlin), one core")
        print(
            String(
                format: "deadline computations (1–5 working-day targets): %d in %.3f s = %.0f per second",
                computations,
                additions.seconds,
                Double(computations) / additions.seconds
            )
        )
        print(
            String(
                format:
                    "plan the deadlines and alarms of %d open tickets from their histories: %.3f s (%d with a deadline)",
                tickets,
                recompute.seconds,
                found
            )
        )
        if checksum.isNaN { print(checksum) }
        try await recomputeInDatabase()
    }

    /// Opens `tickets` tickets in a scratch database (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL),
    /// then widens the office hours and times recomputing every open ticket's deadline and alarms.
    private func recomputeInDatabase() async throws {
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let scratch = try await ScratchDatabase.create(logger: logger)
        var configuration = TierdeskConfiguration(database: scratch.database, clock: SystemClock(), logger: logger)
        configuration.bcryptCost = 4
        let components = try await AppComponents(configuration)
        let directory = CommandLineDirectory(components)
        let organisation = try await directory.addOrganisation(name: "Bench Org", sharesTickets: false)
        let requester = try await directory.addPerson(
            email: "bench@example.com",
            name: "Bench Requester",
            roles: [.requester],
            tier: nil,
            organisation: organisation.name,
            vendor: nil,
            password: nil
        )
        let repository = TicketRepository(scratch.database)
        // Deadlines and alarms as in production; no relay, so no mail; nobody to page or wake.
        let pager = PageMessenger(
            identity: DeskMailIdentity(address: "oncall@bench.invalid", name: "Bench", baseURL: "http://127.0.0.1"),
            acknowledgeURL: { _, _ in "" }
        )
        let effects = TicketWriteEffects(planner: SLAConfiguration.standard, mail: .noRelay, pager: pager, queued: {})
        let opened = ContinuousClock.now
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<64 {
                group.addTask {
                    for index in stride(from: worker, to: tickets, by: 64) {
                        _ = try await repository.create(effects: effects) { number in
                            try TicketWorkflow()
                                .open(
                                    TicketDraft(
                                        title: "Bench \(index)",
                                        description: "d",
                                        impact: index % 3 == 0 ? .low : .medium
                                    ),
                                    by: requester.actor,
                                    references: TicketReferences(requester: requester),
                                    number: number,
                                    at: start.addingTimeInterval(Double(index) * 97)
                                )
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let openTime = ContinuousClock.now - opened
        var wider = SLAPolicy.standardOffice
        for day in [Weekday.mon, .tue, .wed, .thu, .fri] {
            wider.weekly[day] = [OpeningWindow(start: 7 * 60, end: 18 * 60)]
        }
        let edited = try SLAConfiguration.standard.setting(calendar: wider, named: SLAPolicy.officeCalendarName)
        let began = ContinuousClock.now
        let changed = try await TicketRepository(scratch.database).replanOpenTickets(planner: edited)
        let replan = ContinuousClock.now - began
        await scratch.discard()
        print(
            String(
                format:
                    "database (%@): opened %d tickets in %.1f s; after widening the office hours, recomputed the stored deadlines and alarms of %d open tickets in %.3f s",
                scratch.database.engine == .sqlite ? "SQLite" : "PostgreSQL",
                tickets,
                openTime.seconds,
                changed,
                replan.seconds
            )
        )
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
