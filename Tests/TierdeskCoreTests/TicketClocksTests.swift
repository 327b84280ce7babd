import Foundation
import Testing

@testable import TierdeskCore

/// Clocks derived from a ticket's events, with hand-checked expectations (office hours 08:00–17:00 CET).
@Suite struct TicketClocksTests {
    static let agent = UUID()
    static let requester = UUID()

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    static func ticket(priority: Priority, severity: Severity, status: TicketStatus) -> Ticket {
        Ticket(
            id: UUID(),
            number: 1,
            type: .incident,
            channel: .api,
            title: "t",
            description: "d",
            requesterID: requester,
            organisationID: UUID(),
            serviceID: nil,
            impact: .medium,
            urgency: .medium,
            priority: priority,
            severity: severity,
            status: status,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: at("2026-03-02T07:00:00Z"),
            updatedAt: at("2026-03-02T07:00:00Z")
        )
    }

    static func status(_ from: TicketStatus, _ to: TicketStatus, _ when: String) -> TicketEvent {
        TicketEvent(
            ticketID: UUID(),
            kind: .statusChanged,
            actorID: agent,
            at: at(when),
            field: "status",
            before: from.rawValue,
            after: to.rawValue,
            byStaff: true
        )
    }

    static func reply(_ when: String, byStaff: Bool) -> TicketEvent {
        TicketEvent(
            ticketID: UUID(),
            kind: .publicReply,
            actorID: byStaff ? agent : requester,
            at: at(when),
            body: "x",
            byStaff: byStaff
        )
    }

    func clock(_ kind: SLAClockKind, _ ticket: Ticket, _ events: [TicketEvent], now: String) -> TicketClock? {
        TicketClocks.clocks(for: ticket, events: events, policy: .standard, now: Self.at(now)).first { $0.kind == kind }
    }

    @Test func freshP3TicketRunsOnOfficeHours() {
        let ticket = Self.ticket(priority: .p3, severity: .sev3, status: .new)
        let first = clock(.firstResponse, ticket, [], now: "2026-03-02T10:00:00Z")
        #expect(
            first
                == TicketClock(
                    kind: .firstResponse,
                    due: Self.at("2026-03-02T15:00:00Z"),
                    state: .running,
                    remaining: 5 * 3600
                )
        )
        let resolution = clock(.resolution, ticket, [], now: "2026-03-02T10:00:00Z")
        #expect(
            resolution
                == TicketClock(
                    kind: .resolution,
                    due: Self.at("2026-03-02T16:00:00Z"),
                    state: .running,
                    remaining: 6 * 3600
                )
        )
        #expect(clock(.nextUpdate, ticket, [], now: "2026-03-02T10:00:00Z") == nil)
        #expect(clock(.resolution, ticket, [], now: "2026-03-02T16:00:00Z")?.state == .breached)
    }

    @Test func waitingOnTheCustomerPausesResolutionButNotFirstResponse() {
        var ticket = Self.ticket(priority: .p3, severity: .sev3, status: .pendingCustomer)
        var events = [
            Self.status(.new, .inProgress, "2026-03-02T08:00:00Z"),
            Self.reply("2026-03-02T09:00:00Z", byStaff: true),
            Self.status(.inProgress, .pendingCustomer, "2026-03-02T11:00:00Z"),
        ]
        #expect(clock(.firstResponse, ticket, events, now: "2026-03-03T08:00:00Z")?.state == .met)
        #expect(
            clock(.resolution, ticket, events, now: "2026-03-03T08:00:00Z")
                == TicketClock(kind: .resolution, due: nil, state: .paused, remaining: nil)
        )

        ticket.status = .inProgress
        events.append(Self.status(.pendingCustomer, .inProgress, "2026-03-03T09:00:00Z"))
        #expect(
            clock(.resolution, ticket, events, now: "2026-03-03T10:00:00Z")
                == TicketClock(
                    kind: .resolution,
                    due: Self.at("2026-03-03T14:00:00Z"),
                    state: .running,
                    remaining: 4 * 3600
                )
        )

        ticket.status = .resolved
        events.append(Self.status(.inProgress, .resolved, "2026-03-03T12:00:00Z"))
        #expect(clock(.resolution, ticket, events, now: "2026-03-04T12:00:00Z")?.state == .met)

        // Reopened: 7 of 9 working hours were used, so 2 remain from 09:00 CET on Wednesday.
        ticket.status = .inProgress
        events.append(Self.status(.resolved, .inProgress, "2026-03-04T08:00:00Z"))
        #expect(clock(.resolution, ticket, events, now: "2026-03-04T08:00:00Z")?.due == Self.at("2026-03-04T10:00:00Z"))
    }

    @Test func priorityChangeWhilePausedKeepsTimeUsed() {
        var ticket = Self.ticket(priority: .p4, severity: .sev3, status: .onHold)
        var events = [Self.status(.new, .onHold, "2026-03-02T11:00:00Z")]
        #expect(clock(.resolution, ticket, events, now: "2026-03-03T09:00:00Z")?.state == .paused)
        ticket.status = .inProgress
        events.append(Self.status(.onHold, .inProgress, "2026-03-03T09:00:00Z"))
        // P4: 27 working hours; 4 used on Monday; 23 left from Tuesday 10:00 CET = Thursday 15:00 CET.
        #expect(clock(.resolution, ticket, events, now: "2026-03-03T09:00:00Z")?.due == Self.at("2026-03-05T14:00:00Z"))
    }

    @Test func sev1UpdatesRestartTheUpdateClock() {
        let ticket = Self.ticket(priority: .p1, severity: .sev1, status: .inProgress)
        #expect(clock(.nextUpdate, ticket, [], now: "2026-03-02T07:10:00Z")?.due == Self.at("2026-03-02T08:00:00Z"))
        let events = [
            Self.reply("2026-03-02T07:30:00Z", byStaff: true), Self.reply("2026-03-02T07:50:00Z", byStaff: false),
        ]
        #expect(clock(.nextUpdate, ticket, events, now: "2026-03-02T07:55:00Z")?.due == Self.at("2026-03-02T08:30:00Z"))
        #expect(clock(.firstResponse, ticket, events, now: "2026-03-02T07:55:00Z")?.state == .breached)
        #expect(clock(.resolution, ticket, events, now: "2026-03-02T07:55:00Z")?.due == Self.at("2026-03-02T09:00:00Z"))
        #expect(
            TicketClocks.nextDeadline(
                TicketClocks.clocks(
                    for: ticket,
                    events: events,
                    policy: .standard,
                    now: Self.at("2026-03-02T07:55:00Z")
                )
            ) == Self.at("2026-03-02T07:15:00Z")
        )
    }
}
