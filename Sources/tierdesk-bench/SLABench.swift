import ArgumentParser
import Foundation
import TierdeskCore

/// Measures SLA deadline maths on one core: business-time additions in an office calendar with
/// multi-day targets, and deriving the clocks of many tickets from their histories.
struct SLABench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Measure deadline computations per second and the time to recompute the deadlines of many open tickets."
    )

    @Option(help: "Deadline computations to time.") var computations = 200_000
    @Option(help: "Open tickets whose deadlines are recomputed.") var tickets = 100_000

    func run() throws {
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

        let policy = SLAPolicy.standard
        let organisation = UUID()
        let histories: [(Ticket, [TicketEvent])] = (0..<tickets).map { index in
            let created = start.addingTimeInterval(Double(index) * 97)
            let ticket = Ticket(id: UUID(), number: index + 1, type: .incident, channel: .api, title: "t", description: "d", requesterID: organisation, organisationID: organisation, serviceID: nil, impact: .medium, urgency: index % 3 == 0 ? .low : .medium, priority: index % 3 == 0 ? .p4 : .p3, severity: .sev3, status: .inProgress, tier: .l1, group: nil, ownerID: nil, vendorID: nil, workaroundApplied: false, requestedBy: nil, version: 3, createdAt: created, updatedAt: created)
            let events = [
                TicketEvent(ticketID: ticket.id, kind: .statusChanged, actorID: nil, at: created.addingTimeInterval(600), field: "status", before: "new", after: "pending_customer", byStaff: true),
                TicketEvent(ticketID: ticket.id, kind: .statusChanged, actorID: nil, at: created.addingTimeInterval(90_000), field: "status", before: "pending_customer", after: "in_progress", byStaff: true),
            ]
            return (ticket, events)
        }
        let recomputeBegan = ContinuousClock.now
        var found = 0
        for (ticket, events) in histories where policy.plan(for: ticket, history: events).nextDeadline != nil { found += 1 }
        let recompute = ContinuousClock.now - recomputeBegan

        print("SLA benchmark — office calendar (Mon–Fri 08:00–17:00 Europe/Berlin), one core")
        print(String(format: "deadline computations (1–5 working-day targets): %d in %.3f s = %.0f per second", computations, additions.seconds, Double(computations) / additions.seconds))
        print(String(format: "recompute the deadlines and alarms of %d open tickets from their histories: %.3f s (%d with a deadline)", tickets, recompute.seconds, found))
        if checksum.isNaN { print(checksum) }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
