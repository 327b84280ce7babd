import Foundation
import Logging
import TierdeskCore

@testable import TierdeskStore

/// A scratch database (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL) with two organisations and a few people.
struct StoreFixture {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    /// Warnings and errors only, so test output shows what matters.
    static let logger: Logger = {
        var logger = Logger(label: "tierdesk-store-tests")
        logger.logLevel = .warning
        return logger
    }()

    let database: TierdeskDatabase
    let tickets: TicketRepository
    /// Ticket writes plan deadlines with the standard SLA configuration, queue no mail and wake nothing.
    let effects: TicketWriteEffects
    let directory: DirectoryRepository
    let acme: Organisation
    let globex: Organisation
    let alice: Person
    let bob: Person
    let carol: Person
    let agent: Person

    static func with(_ body: (StoreFixture) async throws -> Void) async throws {
        try await ScratchDatabase.with(logger: logger) { database in
            let directory = DirectoryRepository(database)
            let acme = Organisation(id: UUID(), name: "Acme", sharesTickets: true, createdAt: t0)
            let globex = Organisation(id: UUID(), name: "Globex", sharesTickets: false, createdAt: t0)
            try await directory.save(acme)
            try await directory.save(globex)
            func person(_ name: String, _ roles: Set<Role>, organisation: UUID? = nil, tier: Tier? = nil) async throws
                -> Person
            {
                let person = Person(
                    id: UUID(),
                    email: "\(name.lowercased())@example.com",
                    name: name,
                    roles: roles,
                    tier: tier,
                    organisationID: organisation,
                    createdAt: t0
                )
                try await directory.save(person, passwordHash: nil)
                return person
            }
            let fixture = StoreFixture(
                database: database,
                tickets: TicketRepository(database),
                effects: Self.effects(),
                directory: directory,
                acme: acme,
                globex: globex,
                alice: try await person("Alice", [.requester], organisation: acme.id),
                bob: try await person("Bob", [.requester], organisation: acme.id),
                carol: try await person("Carol", [.requester], organisation: globex.id),
                agent: try await person("Agnes", [.agent], tier: .l1)
            )
            try await body(fixture)
        }
    }

    /// What ticket writes cause, as a test chooses it.
    static func effects(
        planner: any SLAPlanner = SLAConfiguration.standard,
        mail: TicketMail = .noRelay,
        pager: PageMessenger = messenger
    ) -> TicketWriteEffects {
        TicketWriteEffects(planner: planner, mail: mail, pager: pager, queued: {})
    }

    static let messenger = PageMessenger(
        identity: DeskMailIdentity(address: "desk@example.com", name: "Tierdesk", baseURL: "https://desk.example")
    ) { page, person in "https://desk.example/pages/\(page)/acknowledge?person=\(person)" }

    /// Opens a ticket for `requester` through the Core workflow.
    @discardableResult
    func open(_ title: String, for requester: Person, description: String = "details", at offset: TimeInterval = 0)
        async throws -> Ticket
    {
        try await tickets.create(effects: effects) { number in
            try TicketWorkflow()
                .open(
                    TicketDraft(title: title, description: description),
                    by: requester.actor,
                    references: TicketReferences(requester: requester),
                    number: number,
                    at: Self.t0.addingTimeInterval(offset)
                )
        }
    }

    /// Adds a public reply or an internal note by the agent through the Core workflow.
    func addMessage(to ticket: Ticket, _ body: String, isInternal: Bool, at offset: TimeInterval = 0) async throws {
        _ = try await tickets.modify(number: ticket.number, effects: effects) { current, scope in
            try TicketWorkflow()
                .addMessage(
                    to: current,
                    scope: scope,
                    body: body,
                    isInternal: isInternal,
                    by: agent.actor,
                    at: Self.t0.addingTimeInterval(offset)
                )
        }
    }
}
