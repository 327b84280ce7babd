import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// Histories imported as they happened, and the reads behind the reports, on SQLite and PostgreSQL.
@Suite struct ReportStoreTests {
    static func history(_ f: StoreFixture, number: Int, created: Date, closedAt: Date?) -> TicketRepository.History {
        let id = UUID()
        var ticket = Ticket(
            id: id,
            number: number,
            type: .incident,
            channel: .email,
            title: "Imported \(number)",
            description: "d",
            requesterID: f.alice.id,
            organisationID: f.acme.id,
            serviceID: nil,
            impact: .medium,
            urgency: .medium,
            priority: .p3,
            severity: .sev3,
            status: .inProgress,
            tier: .l1,
            group: nil,
            ownerID: f.agent.id,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 3,
            createdAt: created,
            updatedAt: created.addingTimeInterval(600)
        )
        var events = [
            TicketEvent(ticketID: id, kind: .created, actorID: f.alice.id, at: created, after: ticket.reference),
            TicketEvent(
                ticketID: id,
                kind: .publicReply,
                actorID: f.agent.id,
                at: created.addingTimeInterval(300),
                body: "On it",
                byStaff: true
            ),
            TicketEvent(
                ticketID: id,
                kind: .internalNote,
                actorID: f.agent.id,
                at: created.addingTimeInterval(400),
                body: "Checked the logs",
                byStaff: true
            ),
            TicketEvent(
                ticketID: id,
                kind: .statusChanged,
                actorID: f.agent.id,
                at: created.addingTimeInterval(600),
                field: "status",
                before: "new",
                after: "in_progress",
                byStaff: true
            ),
        ]
        if let closedAt {
            events.append(
                TicketEvent(
                    ticketID: id,
                    kind: .statusChanged,
                    actorID: f.agent.id,
                    at: closedAt,
                    field: "status",
                    before: "in_progress",
                    after: "resolved",
                    byStaff: true
                )
            )
            ticket.status = .resolved
            ticket.updatedAt = closedAt
        }
        return TicketRepository.History(ticket: ticket, events: events)
    }

    @Test func importedHistoriesKeepTheirInstantsMoveTheCounterAndAreReadByTheReports() async throws {
        try await StoreFixture.with { f in
            let old = StoreFixture.t0.addingTimeInterval(-90 * 86_400)
            let recent = StoreFixture.t0.addingTimeInterval(-2 * 86_400)
            let histories = [
                Self.history(f, number: 5001, created: old, closedAt: old.addingTimeInterval(3600)),
                Self.history(f, number: 5002, created: recent, closedAt: nil),
                Self.history(f, number: 5003, created: recent, closedAt: recent.addingTimeInterval(3600)),
            ]
            try await f.tickets.importHistories(histories)
            #expect(try await f.tickets.find(number: 5002) == histories[1].ticket)
            #expect(
                try await f.tickets.events(ticketID: histories[0].ticket.id, includeInternal: true).map(\.at)
                    == histories[0].events.map(\.at)
            )
            // The counter moves past the highest number; a new ticket follows it.
            #expect(try await f.open("Next", for: f.bob).number == 5004)
            // Nothing was planned on import; the replan gives the open ticket its deadline.
            #expect(try await f.tickets.find(number: 5002)?.nextDeadline == nil)
            _ = try await f.tickets.replanOpenTickets(planner: SLAConfiguration.standard)
            #expect(try await f.tickets.find(number: 5002)?.nextDeadline != nil)

            // The last week: the ticket closed 90 days ago is not read, the others are, with the events
            // the reports use (no internal notes).
            let window = StoreFixture.t0.addingTimeInterval(-7 * 86_400)..<StoreFixture.t0
            let read = try await ReportRepository(f.database).histories(touching: window)
            #expect(Set(read.map(\.ticket.number)) == [5002, 5003])
            let five003 = try #require(read.first { $0.ticket.number == 5003 })
            #expect(five003.events.map(\.kind) == [.publicReply, .statusChanged, .statusChanged])
        }
    }

    @Test func theReportsKnowWhenEachArticleWasWritten() async throws {
        try await StoreFixture.with { f in
            let articles = try await KnownErrorRepository(f.database)
                .importArticles(
                    [KnownErrorDraft(title: "Scanner", symptom: "s", rootCause: "r", workaround: "w", serviceIDs: [])],
                    by: f.agent.id,
                    at: StoreFixture.t0
                )
            #expect(try await ReportRepository(f.database).knownErrorsCreated() == [articles[0].id: StoreFixture.t0])
        }
    }
}
