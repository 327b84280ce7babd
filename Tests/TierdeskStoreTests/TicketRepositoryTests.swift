import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

@Suite struct TicketRepositoryTests {
    @Test func ticketsGetConsecutiveReferencesAndRoundTrip() async throws {
        try await StoreFixture.with { f in
            let first = try await f.open("Printer jam", for: f.alice)
            let second = try await f.open("Scanner frozen", for: f.bob)
            #expect(first.reference == "TD-1001")
            #expect(second.reference == "TD-1002")
            let loaded = try await f.tickets.find(number: 1001)
            #expect(loaded == first)
            let (scoped, scope) = try #require(try await f.tickets.findScoped(number: 1002))
            #expect(scoped == second)
            #expect(
                scope
                    == TicketScope(
                        requesterID: f.bob.id,
                        organisationID: f.acme.id,
                        organisationSharesTickets: true,
                        vendorID: nil
                    )
            )
            #expect(try await f.tickets.find(number: 999) == nil)
            let events = try await f.tickets.events(ticketID: first.id, includeInternal: true)
            #expect(events.map(\.kind) == [.created])
        }
    }

    @Test func concurrentCreatesNeverShareANumber() async throws {
        try await StoreFixture.with { f in
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await f.open("Ticket \(index)", for: index.isMultiple(of: 2) ? f.alice : f.carol).number
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(Set(numbers).count == 40)
            #expect(Set(numbers) == Set(1001...1040))
        }
    }

    @Test func refusedTicketsInAGroupCommitTakeNoNumber() async throws {
        try await StoreFixture.with { f in
            let outcomes = await withTaskGroup(of: Int?.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        let title = index.isMultiple(of: 3) ? "" : "Ticket \(index)"
                        return try? await f.open(title, for: f.alice).number
                    }
                }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 10)
            #expect(Set(outcomes.compactMap { $0 }) == Set(1001...1020))
            let stored = try await f.tickets.list(TicketQuery(), visibility: .all)
            #expect(stored.count == 20)
        }
    }

    @Test func modifyStoresStateAndEventsTogetherInOrder() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Printer jam", for: f.alice)
            let (updated, events) = try await f.tickets.modify(number: ticket.number, effects: f.effects) {
                current,
                scope in
                try TicketWorkflow()
                    .update(
                        current,
                        scope: scope,
                        with: TicketChanges(impact: .high, urgency: .high, ownerID: .some(f.agent.id)),
                        expectedVersion: 1,
                        by: f.agent.actor,
                        references: TicketReferences(owner: f.agent),
                        at: StoreFixture.t0
                    )
            }
            #expect(updated.version == 2 && updated.priority == .p1 && updated.ownerID == f.agent.id)
            #expect(try await f.tickets.find(number: ticket.number) == updated)
            let stored = try await f.tickets.events(ticketID: ticket.id, includeInternal: true)
            #expect(stored.map(\.id) == [stored[0].id] + events.map(\.id))
            #expect(
                stored.dropFirst().map { $0.field ?? "" } == ["impact", "urgency", "priority", "severity", "ownerId"]
            )
        }
    }

    @Test func readsAfterChangesSeeTheChange() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Printer jam", for: f.alice)
            let before = try #require(try await f.tickets.findScoped(number: ticket.number))
            #expect(before.1.organisationSharesTickets)
            try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                try TicketWorkflow()
                    .update(
                        current,
                        scope: scope,
                        with: TicketChanges(title: "Printer jam, line 2"),
                        expectedVersion: 1,
                        by: f.agent.actor,
                        references: TicketReferences(),
                        at: StoreFixture.t0
                    )
            }
            #expect(try await f.tickets.findScoped(number: ticket.number)?.0.title == "Printer jam, line 2")
            var acme = f.acme
            acme.sharesTickets = false
            try await f.directory.save(acme)
            #expect(try await f.tickets.findScoped(number: ticket.number)?.1.organisationSharesTickets == false)
        }
    }

    @Test func everyWriteStoresTheNextDeadlineAndQueuesSortByIt() async throws {
        try await StoreFixture.with { f in
            let tickets = f.tickets
            // 2026-09-21T14:13:20Z is a Monday, 16:13 in Berlin: 8 working hours end Tuesday 15:13.
            let first = try await tickets.create(effects: f.effects) { number in
                try TicketWorkflow()
                    .open(
                        TicketDraft(title: "Slow", description: "x"),
                        by: f.alice.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: StoreFixture.t0
                    )
            }
            #expect(first.nextDeadline == Timestamp.parse("2026-09-22T13:13:20Z"))
            let urgent = try await tickets.create(effects: f.effects) { number in
                try TicketWorkflow()
                    .open(
                        TicketDraft(
                            title: "Line down",
                            description: "x",
                            impact: .high,
                            urgency: .high,
                            requesterID: f.alice.id
                        ),
                        by: f.agent.actor,
                        references: TicketReferences(requester: f.alice),
                        number: number,
                        at: StoreFixture.t0.addingTimeInterval(60)
                    )
            }
            #expect(urgent.nextDeadline == StoreFixture.t0.addingTimeInterval(60 + 15 * 60))
            var query = TicketQuery()
            query.byDeadline = true
            #expect(try await tickets.list(query, visibility: .all).map(\.title) == ["Line down", "Slow"])

            let (paused, _) = try await tickets.modify(number: first.number, effects: f.effects) { current, scope in
                let (replied, reply) = try TicketWorkflow()
                    .addMessage(
                        to: current,
                        scope: scope,
                        body: "Looking",
                        isInternal: false,
                        by: f.agent.actor,
                        at: StoreFixture.t0.addingTimeInterval(120)
                    )
                let (waiting, change) = try TicketWorkflow()
                    .changeStatus(
                        replied,
                        scope: scope,
                        to: .pendingCustomer,
                        comment: nil,
                        expectedVersion: replied.version,
                        by: f.agent.actor,
                        at: StoreFixture.t0.addingTimeInterval(120)
                    )
                return (waiting, reply + change)
            }
            #expect(paused.nextDeadline == nil)
            #expect(try await tickets.find(number: first.number)?.nextDeadline == nil)
            #expect(try await tickets.list(query, visibility: .all).map(\.title) == ["Line down", "Slow"])
        }
    }

    @Test func failedChangeLeavesNothingBehind() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Printer jam", for: f.alice)
            await #expect(throws: TierdeskError.self) {
                try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                    try TicketWorkflow()
                        .update(
                            current,
                            scope: scope,
                            with: TicketChanges(title: "New title"),
                            expectedVersion: 7,
                            by: f.agent.actor,
                            references: TicketReferences(),
                            at: StoreFixture.t0
                        )
                }
            }
            #expect(try await f.tickets.find(number: ticket.number) == ticket)
            #expect(try await f.tickets.events(ticketID: ticket.id, includeInternal: true).count == 1)
        }
    }

    @Test func racingWritersOnTheSameVersionOneWins() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Printer jam", for: f.alice)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for title in ["First", "Second", "Third", "Fourth"] {
                    group.addTask {
                        do {
                            try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                                try TicketWorkflow()
                                    .update(
                                        current,
                                        scope: scope,
                                        with: TicketChanges(title: title),
                                        expectedVersion: 1,
                                        by: f.agent.actor,
                                        references: TicketReferences(),
                                        at: StoreFixture.t0
                                    )
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let final = try #require(try await f.tickets.find(number: ticket.number))
            #expect(final.version == 2)
        }
    }

    @Test func listsRespectVisibilityFiltersTextAndPaging() async throws {
        try await StoreFixture.with { f in
            try await f.open("Printer jam on line 2", for: f.alice, at: 1)
            try await f.open("Scanner frozen", for: f.bob, description: "100% CPU_usage", at: 2)
            try await f.open("Globex invoice wrong", for: f.carol, at: 3)
            func titles(_ query: TicketQuery, _ visibility: TicketVisibility) async throws -> [String] {
                try await f.tickets.list(query, visibility: visibility).map(\.title)
            }
            let all = TicketQuery()
            #expect(try await titles(all, .all) == ["Globex invoice wrong", "Scanner frozen", "Printer jam on line 2"])
            #expect(
                try await titles(all, .requester(personID: f.alice.id, sharedOrganisationID: f.acme.id)) == [
                    "Scanner frozen", "Printer jam on line 2",
                ]
            )
            #expect(
                try await titles(all, .requester(personID: f.alice.id, sharedOrganisationID: nil)) == [
                    "Printer jam on line 2"
                ]
            )
            #expect(try await titles(all, .vendor(UUID())) == [])
            #expect(try await titles(all, .nothing) == [])

            var text = TicketQuery()
            text.text = "PRINTER"
            #expect(try await titles(text, .all) == ["Printer jam on line 2"])
            text.text = "100%"
            #expect(try await titles(text, .all) == ["Scanner frozen"])
            text.text = "cpu usage"
            #expect(try await titles(text, .all) == ["Scanner frozen"])
            text.text = "_"
            #expect(try await titles(text, .all) == [])

            var page = TicketQuery()
            page.limit = 2
            let first = try await f.tickets.list(page, visibility: .all)
            page.beforeNumber = first.last!.number
            let second = try await f.tickets.list(page, visibility: .all)
            #expect(first.count == 2 && second.map(\.title) == ["Printer jam on line 2"])

            var organisation = TicketQuery()
            organisation.organisationID = f.globex.id
            organisation.statuses = [.new]
            #expect(try await titles(organisation, .all) == ["Globex invoice wrong"])
            var unowned = TicketQuery()
            unowned.owner = .nobody
            unowned.tier = .l1
            unowned.openOnly = true
            #expect(try await titles(unowned, .all).count == 3)
            #expect(
                try await f.tickets.openCountsByTier()
                    == [
                        .l1: QueueCount(count: 3, more: false), .l2: QueueCount(count: 0, more: false),
                        .l3: QueueCount(count: 0, more: false), .l4: QueueCount(count: 0, more: false),
                    ]
            )
        }
    }

    @Test func internalEventsCanBeLeftOut() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Printer jam", for: f.alice)
            for (body, isInternal) in [("Public answer", false), ("Staff only", true)] {
                try await f.addMessage(to: ticket, body, isInternal: isInternal)
            }
            #expect(
                try await f.tickets.events(ticketID: ticket.id, includeInternal: true).compactMap(\.body) == [
                    "Public answer", "Staff only",
                ]
            )
            #expect(
                try await f.tickets.events(ticketID: ticket.id, includeInternal: false).compactMap(\.body) == [
                    "Public answer"
                ]
            )
        }
    }

    @Test func textIsStoredExactly() async throws {
        try await StoreFixture.with { f in
            let tricky = "Grüße 👋 '; DROP TABLE tickets; -- <script>alert(1)</script>\r\n\t"
            let ticket = try await f.open("Quotes ' and \" and \\", for: f.alice, description: tricky)
            let loaded = try #require(try await f.tickets.find(number: ticket.number))
            #expect(loaded.title == "Quotes ' and \" and \\")
            #expect(loaded.description == tricky)
        }
    }
}
