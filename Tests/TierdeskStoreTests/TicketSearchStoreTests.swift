import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// Full-text search and direct hits on both engines, with visibility inside every statement.
struct TicketSearchStoreTests {
    static func search(
        _ f: StoreFixture,
        _ text: String,
        as visibility: TicketVisibility = .all,
        _ change: (inout TicketQuery) -> Void = { _ in }
    ) async throws -> [Int] {
        var query = TicketQuery()
        query.text = text
        change(&query)
        return try await f.tickets.list(query, visibility: visibility).map(\.number)
    }

    @Test func wordsMatchAcrossTitleDescriptionAndRepliesAsWordsStemsAndStarts() async throws {
        try await StoreFixture.with { f in
            let label = try await f.open("Label printer jammed", for: f.alice, description: "Dock 4 stopped at noon")
            let scanner = try await f.open("Scanner frozen", for: f.alice, description: "The label printers work")
            let other = try await f.open("Password reset", for: f.bob, description: "Locked out")
            try await f.addMessage(to: other, "Printer queue cleared on the dock", isInternal: false, at: 300)

            #expect(try await Self.search(f, "label printer") == [label.number, scanner.number])
            let printers = try await Self.search(f, "printers")
            #expect(printers.first == label.number)
            #expect(printers.sorted() == [label.number, scanner.number, other.number])
            #expect(try await Self.search(f, "jammed prin") == [label.number])
            #expect(try await Self.search(f, "prin jammed").isEmpty)
            #expect(try await Self.search(f, "dock printer").sorted() == [label.number, other.number])
            #expect(try await Self.search(f, "queue cleared") == [other.number])
            #expect(try await Self.search(f, "jammed scanner").isEmpty)
            #expect(try await Self.search(f, "LABEL  Printer!").first == label.number)
            // A word longer than the longest prefix index matches itself, not every word sharing its start.
            let first = try await f.open("Marker crash4228b2", for: f.bob)
            _ = try await f.open("Marker crash4203aa", for: f.bob)
            #expect(try await Self.search(f, "crash4228b2") == [first.number])
        }
    }

    @Test func aTitleMatchRanksAboveABodyMatch() async throws {
        try await StoreFixture.with { f in
            let body = try await f.open("Goods receipt", for: f.alice, description: "The conveyor belt stopped twice")
            let title = try await f.open("Conveyor belt stopped", for: f.alice, description: "Line 2")
            _ = try await f.open("Unrelated", for: f.alice)
            #expect(try await Self.search(f, "conveyor belt") == [title.number, body.number])
        }
    }

    @Test func internalNotesAreFoundByStaffOnly() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Scanner frozen", for: f.alice)
            try await f.addMessage(to: ticket, "Suspect firmware regression in build 7731", isInternal: true, at: 300)
            let alice = TicketVisibility.requester(personID: f.alice.id, sharedOrganisationID: f.acme.id)
            #expect(try await Self.search(f, "firmware regression") == [ticket.number])
            #expect(try await Self.search(f, "firmware regression", as: alice).isEmpty)
            #expect(try await Self.search(f, "scanner", as: alice) == [ticket.number])
            #expect(try await Self.search(f, "scanner firmware", as: alice).isEmpty)
        }
    }

    @Test func visibilityIsPartOfEverySearch() async throws {
        try await StoreFixture.with { f in
            let alices = try await f.open("Printer offline", for: f.alice)
            let bobs = try await f.open("Printer offline too", for: f.bob)
            let carols = try await f.open("Printer offline at Globex", for: f.carol)
            let alice = TicketVisibility.requester(personID: f.alice.id, sharedOrganisationID: f.acme.id)
            let carol = TicketVisibility.requester(personID: f.carol.id, sharedOrganisationID: nil)
            #expect(try await Self.search(f, "printer", as: alice).sorted() == [alices.number, bobs.number])
            #expect(try await Self.search(f, "printer", as: carol) == [carols.number])
            #expect(try await Self.search(f, alices.reference, as: carol).isEmpty)
            #expect(try await Self.search(f, "bob@example.com", as: carol).isEmpty)
            #expect(try await Self.search(f, "Acme", as: carol).isEmpty)
            #expect(try await Self.search(f, "printer", as: .vendor(UUID())).isEmpty)
            #expect(try await Self.search(f, "printer", as: .nothing).isEmpty)
        }
    }

    @Test func aVendorFindsTheTicketsEscalatedToItOnceTheyAre() async throws {
        try await StoreFixture.with { f in
            let vendor = Vendor(id: UUID(), name: "NordERP", createdAt: StoreFixture.t0)
            try await f.directory.save(vendor)
            let ticket = try await f.open("Posting run aborts", for: f.alice)
            _ = try await f.open("Posting run slow", for: f.alice)
            #expect(try await Self.search(f, "posting", as: .vendor(vendor.id)).isEmpty)
            _ = try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                var next = current
                next.vendorID = vendor.id
                next.version += 1
                let event = TicketEvent(
                    ticketID: current.id,
                    kind: .fieldChanged,
                    actorID: f.agent.id,
                    at: StoreFixture.t0.addingTimeInterval(60),
                    field: "vendorId",
                    after: vendor.id.uuidString
                )
                return (next, [event])
            }
            #expect(try await Self.search(f, "posting", as: .vendor(vendor.id)) == [ticket.number])
        }
    }

    @Test func referencesAddressesAndNamesAreDirectHitsListedFirst() async throws {
        try await StoreFixture.with { f in
            let first = try await f.open("Mentions 1003 in passing", for: f.alice)
            let second = try await f.open("Second", for: f.bob)
            let third = try await f.open("Third", for: f.carol)
            #expect(third.number == 1003)
            #expect(try await Self.search(f, "TD-1003") == [third.number])
            #expect(try await Self.search(f, "#1003") == [third.number, first.number])
            #expect(try await Self.search(f, "1003") == [third.number, first.number])
            #expect(try await Self.search(f, "BOB@example.com") == [second.number])
            #expect(try await Self.search(f, "bob") == [second.number])
            #expect(try await Self.search(f, "Globex") == [third.number])
            #expect(try await Self.search(f, "acme") == [second.number, first.number])
        }
    }

    @Test func filtersApplyAndARenamedTicketIsFoundByItsNewTitle() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Scanner frozen", for: f.alice, description: "GR-04 handheld")
            let started = try await f.open("Scanner frozen again", for: f.alice)
            _ = try await f.tickets.modify(number: started.number, effects: f.effects) { current, scope in
                try TicketWorkflow()
                    .changeStatus(
                        current,
                        scope: scope,
                        to: .inProgress,
                        comment: nil,
                        expectedVersion: current.version,
                        by: f.agent.actor,
                        at: StoreFixture.t0.addingTimeInterval(60)
                    )
            }
            #expect(try await Self.search(f, "scanner") == [started.number, ticket.number])
            #expect(try await Self.search(f, "scanner") { $0.statuses = [.new] } == [ticket.number])
            _ = try await f.tickets.modify(number: ticket.number, effects: f.effects) { current, scope in
                try TicketWorkflow()
                    .update(
                        current,
                        scope: scope,
                        with: TicketChanges(title: "Handheld battery swelling"),
                        expectedVersion: current.version,
                        by: f.agent.actor,
                        references: TicketReferences(requester: f.alice),
                        at: StoreFixture.t0.addingTimeInterval(120)
                    )
            }
            #expect(try await Self.search(f, "battery swelling") == [ticket.number])
            #expect(try await Self.search(f, "scanner") == [started.number])
            #expect(try await Self.search(f, "handheld") == [ticket.number])
        }
    }

    /// PostgreSQL reads the newest tickets one by one and the older ones from its GIN indexes: however small
    /// the windows, and whichever way the older ones are read, the page is the same — title matches first,
    /// then the rest, newest first within each, and only what the visibility allows.
    @Test func everyWayOfReadingAPostgresSearchGivesTheSamePage() async throws {
        try await StoreFixture.with { f in
            guard f.database.engine == .postgresql else { return }
            var tickets: [(number: Int, title: Bool, body: Bool, alice: Bool)] = []
            for index in 0..<40 {
                let title = index % 7 == 0
                let body = index % 2 == 0
                let alice = index % 5 != 1
                let ticket = try await f.open(
                    title ? "Printer jammed \(index)" : "Scanner frozen \(index)",
                    for: alice ? f.alice : f.bob,
                    description: body ? "The label printer is jammed again" : "Nothing to add"
                )
                tickets.append((ticket.number, title, body, alice))
            }
            let alice = TicketVisibility.requester(personID: f.alice.id, sharedOrganisationID: nil)
            for (visibility, name) in [(TicketVisibility.all, "staff"), (alice, "alice")] {
                let visible = tickets.filter { visibility == .all || $0.alice }.reversed()
                let expected =
                    visible.filter(\.title).map(\.number) + visible.filter { $0.body && !$0.title }.map(\.number)
                for limit in [1, 5, 12, 50] {
                    for windows in [
                        PostgresTicketSearch.Windows(),
                        PostgresTicketSearch.Windows(recent: 1, further: 3, walkingShare: 0),
                        PostgresTicketSearch.Windows(recent: 4, further: 7, walkingShare: 0),
                        PostgresTicketSearch.Windows(recent: 3, further: 100, walkingShare: 2),
                        PostgresTicketSearch.Windows(recent: 10, further: 1, walkingShare: 0),
                    ] {
                        let found = try await f.tickets.newestMatches(
                            ["printer", "jam"],
                            TicketQuery(),
                            visibility,
                            limit: limit,
                            windows: windows
                        )
                        #expect(
                            found.map(\.number) == Array(expected.prefix(limit)),
                            "\(name), limit \(limit), \(windows)"
                        )
                    }
                }
            }
        }
    }

    @Test func fullTextStatementsDoNotScanTheTickets() async throws {
        try await StoreFixture.with { f in
            for index in 0..<20 { _ = try await f.open("Printer \(index) jammed", for: f.alice) }
            let sqlite = f.database.engine == .sqlite
            var open = TicketQuery()
            open.openOnly = true
            for (name, query, visibility) in [
                ("staff", TicketQuery(), TicketVisibility.all),
                ("staff, open", open, .all),
                ("requester", TicketQuery(), .requester(personID: f.alice.id, sharedOrganisationID: f.acme.id)),
                ("vendor", TicketQuery(), .vendor(UUID())),
            ] {
                let terms = ["printer", "jammed"]
                let statements =
                    sqlite
                    ? [f.tickets.fullText(terms, query, visibility, limit: 50)]
                    : [
                        f.tickets.walkStatement(
                            PostgresTicketSearch(terms: terms, staff: visibility == .all),
                            below: 10,
                            tickets: 5,
                            query,
                            visibility
                        ),
                        f.tickets.olderTitleStatement(
                            PostgresTicketSearch(terms: terms, staff: visibility == .all),
                            upTo: 10,
                            query,
                            visibility
                        ),
                        f.tickets.olderStatement(
                            PostgresTicketSearch(terms: terms, staff: visibility == .all),
                            upTo: 10,
                            query,
                            visibility
                        ),
                    ]
                for plan in try await f.tickets.plans(of: statements.map { $0.limit(50) }) {
                    let text = plan.joined(separator: " | ")
                    if sqlite {
                        #expect(
                            !plan.contains { $0.hasPrefix("SCAN tickets") && !$0.contains("INDEX") },
                            "\(name): \(text)"
                        )
                        #expect(text.contains("VIRTUAL TABLE INDEX"), "\(name): \(text)")
                    } else {
                        #expect(!text.contains("Seq Scan on tickets"), "\(name): \(text)")
                        #expect(!text.contains("Seq Scan on ticket_search"), "\(name): \(text)")
                    }
                }
                if !sqlite {
                    // The conditions of the older matches are those of the GIN indexes, which can serve them.
                    let search = PostgresTicketSearch(terms: terms, staff: visibility == .all)
                    let sql = f.database.sql
                    let plans = try await f.tickets.plans(of: [
                        sql.select().column("number").from("tickets").where(search.title),
                        sql.select().column("ticket_number").from("ticket_search").where(search.anywhere),
                    ])
                    let index = visibility == .all ? "ticket_search_staff_idx" : "ticket_search_public_idx"
                    #expect(plans[0].joined().contains("tickets_title_search_idx"), "\(name): \(plans[0])")
                    #expect(plans[1].joined().contains(index), "\(name): \(plans[1])")
                }
            }
        }
    }
}
