import Foundation
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// A realistic desk of any size for measurements: organisations with requesters, agents on every tier,
/// services, vendors and Known Error Database articles, and tickets spread over two years with genuine
/// histories (answered, escalated with evidence, corrected, resolved from the KEDB, reopened, some still
/// open), stored through the store's import path in large transactions.
struct DataSet {
    var tickets: Int
    var organisations: Int
    var agents: Int
    /// The instant the data set ends at.
    var now: Date
    /// How far back the tickets reach.
    var days = 730.0
    /// Tickets per transaction.
    static let batch = 10_000

    struct People {
        var requesters: [[Person]]
        var organisations: [UUID]
        var l1: [Person]
        var l2: [Person]
        var l3: [Person]
        var services: [UUID]
        var vendors: [UUID]
        var articles: [KnownError]
    }

    /// What was written.
    struct Written {
        var tickets: Int
        var events: Int
        var open: Int
    }

    /// Writes the directory, then the tickets; returns how many tickets and events were stored.
    func write(into database: TierdeskDatabase) async throws -> Written {
        let people = try await directory(database)
        let repository = TicketRepository(database)
        var written = Written(tickets: 0, events: 0, open: 0)
        var random = SplitMix(seed: 1042)
        // The next batch is generated while the previous one is stored.
        var storing: Task<Void, any Error>?
        for first in stride(from: 0, to: tickets, by: Self.batch) {
            var histories: [TicketRepository.History] = []
            histories.reserveCapacity(Self.batch)
            for index in first..<min(first + Self.batch, tickets) {
                let history = ticket(index, people: people, random: &random)
                written.events += history.events.count
                if history.ticket.status.isOpen { written.open += 1 }
                histories.append(history)
            }
            try await storing?.value
            storing = Task { [histories] in try await repository.importHistories(histories) }
        }
        try await storing?.value
        written.tickets = tickets
        return written
    }

    /// Organisations with five requesters each, agents (half L1, 30 % L2, 20 % L3), twelve services (two
    /// swarmed), three vendors and fifty articles, written before the tickets' history begins.
    func directory(_ database: TierdeskDatabase) async throws -> People {
        let directory = DirectoryRepository(database)
        let created = now.addingTimeInterval(-(days + 1) * 86_400)
        var people = People(
            requesters: [],
            organisations: [],
            l1: [],
            l2: [],
            l3: [],
            services: [],
            vendors: [],
            articles: []
        )
        for index in 0..<organisations {
            let organisation = Organisation(
                id: UUID.timeOrdered(),
                name: "Organisation \(index + 1)",
                sharesTickets: index % 2 == 0,
                createdAt: created
            )
            try await directory.save(organisation)
            people.organisations.append(organisation.id)
            var requesters: [Person] = []
            for number in 0..<5 {
                let person = Person(
                    id: UUID.timeOrdered(),
                    email: "requester\(number)@org\(index + 1).example",
                    name: "Requester \(number) of \(index + 1)",
                    roles: [.requester],
                    organisationID: organisation.id,
                    createdAt: created
                )
                try await directory.save(person)
                requesters.append(person)
            }
            people.requesters.append(requesters)
        }
        for index in 0..<agents {
            let tier: Tier = index % 10 < 5 ? .l1 : index % 10 < 8 ? .l2 : .l3
            let agent = Person(
                id: UUID.timeOrdered(),
                email: "agent\(index + 1)@desk.example",
                name: "Agent \(index + 1)",
                roles: [.agent],
                tier: tier,
                createdAt: created
            )
            try await directory.save(agent)
            switch tier {
            case .l1: people.l1.append(agent)
            case .l2: people.l2.append(agent)
            default: people.l3.append(agent)
            }
        }
        for index in 0..<12 {
            let service = Service(
                id: UUID.timeOrdered(),
                name: "Service \(index + 1)",
                supportModel: index < 2 ? .swarm : .tiered,
                createdAt: created
            )
            try await directory.save(service)
            people.services.append(service.id)
        }
        for index in 0..<3 {
            let vendor = Vendor(id: UUID.timeOrdered(), name: "Vendor \(index + 1)", createdAt: created)
            try await directory.save(vendor)
            people.vendors.append(vendor.id)
        }
        people.articles = try await KnownErrorRepository(database)
            .importArticles(
                (0..<50)
                    .map { index in
                        KnownErrorDraft(
                            title: "Known error \(index + 1)",
                            symptom: "Symptom \(index + 1)",
                            rootCause: "Cause \(index + 1)",
                            workaround: "Workaround \(index + 1)",
                            serviceIDs: [people.services[index % people.services.count]]
                        )
                    },
                by: people.l1[0].id,
                at: created
            )
        return people
    }

    /// The `index`th ticket and its history.
    func ticket(_ index: Int, people: People, random: inout SplitMix) -> TicketRepository.History {
        let start = now.addingTimeInterval(-days * 86_400)
        let slot = days * 86_400 / Double(tickets)
        let created = start.addingTimeInterval(Double(index) * slot + random.unit() * slot)
        let organisation = random.below(people.organisations.count)
        let requester = people.requesters[organisation][random.below(5)]
        let roll = random.below(100)
        let priority: Priority =
            roll < 2 ? .p1 : roll < 10 ? .p2 : roll < 50 ? .p3 : roll < 85 ? .p4 : .p5
        let channels: [Channel] = [.portal, .portal, .email, .email, .phone, .api, .monitoring, .console]
        let id = UUID.timeOrdered()
        // The words come from their own generator, so the histories are the same with or without them.
        var words = SplitMix(seed: UInt64(index) &* 0x9E37_79B9 &+ 7)
        var ticket = Ticket(
            id: id,
            number: 1001 + index,
            type: priority <= .p2 ? .incident : roll % 3 == 0 ? .serviceRequest : .incident,
            channel: channels[random.below(channels.count)],
            title: DeskText.title(&words),
            description: DeskText.description(&words),
            requesterID: requester.id,
            organisationID: people.organisations[organisation],
            serviceID: people.services[random.below(people.services.count)],
            impact: priority <= .p2 ? .high : .medium,
            urgency: priority <= .p2 ? .high : .medium,
            priority: priority,
            severity: Severity(derivedFrom: priority),
            status: .new,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: created,
            updatedAt: created
        )
        var events = [
            TicketEvent(ticketID: id, kind: .created, actorID: requester.id, at: created, after: ticket.reference)
        ]
        var clock = created
        func later(_ minutes: Double) -> Date {
            clock = clock.addingTimeInterval(minutes * 60 * (0.5 + random.unit()))
            return clock
        }
        func event(
            _ kind: TicketEventKind,
            by person: Person?,
            field: String? = nil,
            before: String? = nil,
            after: String? = nil,
            body: String? = nil
        ) {
            events.append(
                TicketEvent(
                    ticketID: id,
                    kind: kind,
                    actorID: person?.id,
                    at: clock,
                    field: field,
                    before: before,
                    after: after,
                    body: body,
                    byStaff: person.map { $0.roles.contains(.agent) } ?? false
                )
            )
        }
        func status(_ next: TicketStatus, by person: Person, body: String? = nil) {
            event(
                .statusChanged,
                by: person,
                field: "status",
                before: ticket.status.rawValue,
                after: next.rawValue,
                body: body
            )
            ticket.status = next
        }
        func escalate(to tier: Tier, by person: Person, evidence: Bool) {
            var body = "Reason: beyond \(ticket.tier.rawValue)"
            switch tier {
            case .l2: body += "\n\nTried: the runbook\n\nLog excerpt: ERROR timeout"
            case .l3 where evidence: body += "\n\nReproduction steps: 1. 2. 3.\n\nLog extract: ERROR stale cursor"
            case .l4: body += "\n\nReproduced in: QA\n\nRoot cause: standard product\n\nVendor reference: V-\(index)"
            default: break
            }
            event(.escalated, by: person, field: "tier", before: ticket.tier.rawValue, after: tier.rawValue, body: body)
            ticket.tier = tier
        }
        let l1 = people.l1[random.below(people.l1.count)]
        let l2 = people.l2[random.below(people.l2.count)]
        let l3 = people.l3[random.below(people.l3.count)]
        // Tickets of the last three weeks are often still open.
        let recent = now.timeIntervalSince(created) < 21 * 86_400
        let stopsEarly = recent && random.below(100) < 45
        _ = later(priority == .p1 ? 8 : 40)
        status(.acknowledged, by: l1)
        _ = later(priority == .p1 ? 4 : 30)
        event(.publicReply, by: l1, body: "We are on it.")
        ticket.ownerID = l1.id
        if stopsEarly, random.below(3) == 0 {
            status(.inProgress, by: l1)
            return finish(ticket, events)
        }
        let course = random.below(100)
        var resolver = l1
        if course < 7 {
            let article = people.articles[random.below(people.articles.count)]
            _ = later(20)
            event(
                .knownErrorApplied,
                by: l1,
                field: "knownErrorId",
                before: "L1",
                after: article.reference,
                body: "Resolved from KEDB at L1"
            )
            ticket.knownErrorID = article.id
            status(.resolved, by: l1, body: article.workaround)
            ticket.resolution = .knownError
        } else if course < 62 {
            _ = later(90)
            status(.resolved, by: l1, body: "Solved.")
            ticket.resolution = .solved
            if course < 10, !recent {
                _ = later(24 * 60)
                event(.publicReply, by: requester, body: "It is back.")
                status(.inProgress, by: requester)
                _ = later(120)
                status(.resolved, by: l1, body: "Solved for good.")
            }
        } else {
            _ = later(60)
            escalate(to: .l2, by: l1, evidence: true)
            ticket.ownerID = l2.id
            resolver = l2
            if stopsEarly {
                status(.inProgress, by: l2)
                return finish(ticket, events)
            }
            if course % 10 == 0 {
                _ = later(60)
                event(
                    .dataCorrection,
                    by: l2,
                    field: "stock",
                    before: "12",
                    after: "40",
                    body: "Count after the cycle count"
                )
            }
            if course >= 86 {
                _ = later(180)
                // Swarmed services hand over without the gates; now and then a tiered one slips too.
                escalate(to: .l3, by: l2, evidence: ticket.serviceID != people.services[0] && course != 97)
                ticket.ownerID = l3.id
                resolver = l3
                if course >= 98 {
                    _ = later(24 * 60)
                    ticket.vendorID = people.vendors[random.below(people.vendors.count)]
                    escalate(to: .l4, by: l3, evidence: true)
                    status(.onHold, by: l3)
                    _ = later(4 * 24 * 60)
                    event(.deescalated, by: l3, field: "tier", before: "L4", after: "L3", body: "Patched")
                    ticket.tier = .l3
                    status(.inProgress, by: l3)
                }
            }
            _ = later(course >= 86 ? 24 * 60 : 300)
            status(.resolved, by: resolver, body: "Fixed.")
            ticket.resolution = .solved
        }
        if clock > now {
            return finish(ticket, events.filter { $0.at <= now }, reopenedAt: now)
        }
        if now.timeIntervalSince(clock) > 3 * 86_400, random.below(10) < 8 {
            clock = clock.addingTimeInterval(3 * 86_400)
            status(.closed, by: resolver)
        }
        return finish(ticket, events)
    }

    /// The ticket as its events leave it; a history cut at the data set's end leaves the ticket open.
    func finish(_ ticket: Ticket, _ events: [TicketEvent], reopenedAt cut: Date? = nil) -> TicketRepository.History {
        var ticket = ticket
        if cut != nil {
            var status = TicketStatus.new
            var tier = Tier.l1
            for event in events {
                if event.kind == .statusChanged, let next = event.after.flatMap(TicketStatus.init(rawValue:)) {
                    status = next
                }
                if event.field == "tier", let next = event.after.flatMap(Tier.init(rawValue:)) { tier = next }
            }
            ticket.status = status
            ticket.tier = tier
            if status.isOpen { ticket.resolution = nil }
        }
        ticket.version = events.count
        ticket.updatedAt = events.last?.at ?? ticket.createdAt
        return TicketRepository.History(ticket: ticket, events: events)
    }
}

/// A small, fast, seeded random generator (SplitMix64), so every data set of a size is the same.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A number in `[0, 1)`.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
