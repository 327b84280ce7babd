import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// Alert keys and their tickets on both databases: one ticket per key while it is open, repeats counted,
/// resolutions in any order, and concurrent deliveries of a new alert opening one ticket.
struct AlertStoreTests {
    let t0 = StoreFixture.t0

    private func ticketing(
        _ f: StoreFixture,
        _ settings: AlertIntakeSettings = AlertIntakeSettings(),
        at offset: TimeInterval = 0
    ) throws -> AlertTicketing {
        try AlertTicketing(
            workflow: TicketWorkflow(),
            rules: TriageRules(rules: []),
            articles: [:],
            settings: settings,
            reporter: f.agent,
            services: [:],
            now: t0.addingTimeInterval(offset)
        )
    }

    private func signal(
        _ key: String,
        _ action: AlertSignal.Action,
        started: TimeInterval? = 0,
        ended: TimeInterval? = nil,
        severity: String = "critical"
    ) -> AlertSignal {
        AlertSignal(
            source: .alertmanager,
            key: key,
            action: action,
            summary: "HighErrorRate: 5xx above 5 %",
            labels: ["severity": severity],
            startedAt: started.map { t0.addingTimeInterval($0) },
            endedAt: ended.map { t0.addingTimeInterval($0) }
        )
    }

    @Test func oneTicketPerKeyThroughRepeatsResolutionAndRefiring() async throws {
        try await StoreFixture.with { f in
            let alerts = AlertRepository(f.database)
            let first = try await alerts.ingest([signal("fp1", .trigger)], with: try ticketing(f), effects: f.effects)
            #expect(first.map(\.kind) == [.opened])
            let number = try #require(first[0].ticketNumber)
            let opened = try #require(try await f.tickets.find(number: number))
            #expect(
                opened.type == .alert && opened.channel == .monitoring && opened.severity == .sev1
                    && opened.priority == .p1 && opened.requesterID == f.agent.id
            )
            #expect(opened.title == "[Alertmanager] HighErrorRate: 5xx above 5 %")

            // Nine repeats in one request count on the ticket and write nothing to it.
            let repeats = try await alerts.ingest(
                Array(repeating: signal("fp1", .trigger), count: 9),
                with: try ticketing(f, at: 60),
                effects: f.effects
            )
            #expect(Set(repeats.map(\.kind)) == [.repeated] && Set(repeats.map(\.ticketNumber)) == [number])
            #expect(try await f.tickets.find(number: number)?.version == opened.version)
            var state = try #require(try await alerts.list(ticketNumber: number).first)
            #expect(state.count == 10 && state.status == .firing && state.lastSeen == t0.addingTimeInterval(60))

            // The resolution resolves the ticket; a late copy of the firing opens nothing.
            #expect(
                try await alerts
                    .ingest([signal("fp1", .resolve, ended: 600)], with: try ticketing(f, at: 620), effects: f.effects)
                    .map(\.kind) == [.resolved]
            )
            let resolved = try #require(try await f.tickets.find(number: number))
            #expect(resolved.status == .resolved && resolved.resolution == .solved)
            #expect(
                try await alerts.ingest([signal("fp1", .trigger)], with: try ticketing(f, at: 630), effects: f.effects)
                    .map(\.kind) == [.ignored]
            )
            #expect(
                try await alerts
                    .ingest([signal("fp1", .resolve, ended: 600)], with: try ticketing(f, at: 640), effects: f.effects)
                    .map(\.kind) == [.ignored]
            )

            // A new episode opens a new ticket; the old episode's resolution, arriving late, leaves it alone.
            let again = try await alerts.ingest(
                [signal("fp1", .trigger, started: 3600)],
                with: try ticketing(f, at: 3600),
                effects: f.effects
            )
            #expect(again.map(\.kind) == [.opened] && again[0].ticketNumber != number)
            #expect(
                try await alerts
                    .ingest(
                        [signal("fp1", .resolve, started: 0, ended: 600)],
                        with: try ticketing(f, at: 3700),
                        effects: f.effects
                    )
                    .map(\.kind) == [.ignored]
            )
            state = try #require(try await alerts.list(ticketNumber: again[0].ticketNumber).first)
            #expect(state.count == 1 && state.status == .firing)

            // Resolved before firing: remembered, and the firing that arrives late opens nothing.
            #expect(
                try await alerts
                    .ingest(
                        [signal("fp2", .resolve, started: 0, ended: 300)],
                        with: try ticketing(f, at: 400),
                        effects: f.effects
                    )
                    .map(\.kind) == [.remembered]
            )
            #expect(
                try await alerts
                    .ingest([signal("fp2", .trigger, started: 0)], with: try ticketing(f, at: 410), effects: f.effects)
                    .map(\.kind) == [.ignored]
            )
            #expect(
                try await alerts
                    .ingest([signal("nothing", .acknowledge)], with: try ticketing(f, at: 420), effects: f.effects)
                    .map(\.kind) == [.ignored]
            )
            #expect(try await alerts.list(ticketNumber: nil, status: nil).count == 2)
            #expect(try await f.tickets.highestNumber() == again[0].ticketNumber)

            // One request that opens, repeats, resolves and opens again: each step sees the one before.
            let mixed = try await alerts.ingest(
                [
                    signal("fp3", .trigger), signal("fp3", .trigger), signal("fp3", .resolve, ended: 50),
                    signal("fp3", .trigger, started: 100), signal("fp3", .trigger, started: 100),
                ],
                with: try ticketing(f, at: 700),
                effects: f.effects
            )
            #expect(mixed.map(\.kind) == [.opened, .repeated, .resolved, .opened, .repeated])
            #expect(mixed[0].ticketNumber == mixed[1].ticketNumber && mixed[2].ticketNumber == mixed[0].ticketNumber)
            #expect(mixed[3].ticketNumber == mixed[4].ticketNumber && mixed[3].ticketNumber != mixed[0].ticketNumber)
            #expect(try await f.tickets.find(number: mixed[0].ticketNumber!)?.status == .resolved)
            let latest = try #require(try await alerts.list(ticketNumber: mixed[3].ticketNumber).first)
            #expect(latest.count == 2 && latest.status == .firing && latest.startedAt == t0.addingTimeInterval(100))
        }
    }

    @Test func annotatingKeepsTheTicketOpenAndCountsRefirings() async throws {
        try await StoreFixture.with { f in
            let alerts = AlertRepository(f.database)
            var settings = AlertIntakeSettings()
            settings.onResolve = .annotate
            let number = try #require(
                try await alerts
                    .ingest(
                        [signal("fp", .trigger, severity: "warning")],
                        with: try ticketing(f, settings),
                        effects: f.effects
                    )
                    .first?
                    .ticketNumber
            )
            #expect(try await f.tickets.find(number: number)?.severity == .sev3)
            let outcomes = try await alerts.ingest(
                [signal("fp", .acknowledge), signal("fp", .resolve, ended: 100), signal("fp", .trigger, started: 200)],
                with: try ticketing(f, settings, at: 200),
                effects: f.effects
            )
            #expect(outcomes.map(\.kind) == [.acknowledged, .resolved, .refired])
            let ticket = try #require(try await f.tickets.find(number: number))
            #expect(ticket.status == .new)
            let notes = try await f.tickets.events(ticketID: ticket.id, includeInternal: true)
                .filter { $0.kind == .internalNote }.compactMap(\.body)
            #expect(
                notes == [
                    "Alertmanager reports the alert acknowledged.",
                    "Alertmanager reports the alert resolved at \(Timestamp.format(t0.addingTimeInterval(100))).",
                    "Alertmanager reports the alert firing again.",
                ]
            )
            #expect(try await alerts.list(ticketNumber: number).first?.count == 2)
        }
    }

    @Test func concurrentDeliveriesOfNewAlertsOpenOneTicketEach() async throws {
        try await StoreFixture.with { f in
            // Several instances share PostgreSQL; SQLite has one process, whose writes take turns.
            let second =
                f.database.engine == .sqlite
                ? f.database : try await TierdeskDatabase.open(f.database.location, logger: StoreFixture.logger)
            defer { if second !== f.database { Task { await second.shutdown() } } }
            let repositories = [AlertRepository(f.database), AlertRepository(second)]
            let keys = (0..<10).map { "fp-\($0)" }
            let ticketing = try ticketing(f)
            // Each handle delivers every alert twice, as a group in reversed order and one by one.
            let outcomes = try await withThrowingTaskGroup(of: [AlertRepository.Outcome].self) { group in
                for alerts in repositories {
                    group.addTask {
                        try await alerts.ingest(
                            keys.reversed().map { signal($0, .trigger) },
                            with: ticketing,
                            effects: f.effects
                        )
                    }
                    for key in keys {
                        group.addTask {
                            try await alerts.ingest([signal(key, .trigger)], with: ticketing, effects: f.effects)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(outcomes.filter { $0.kind == .opened }.count == 10)
            #expect(outcomes.filter { $0.kind == .repeated }.count == 30)
            #expect(
                try await f.tickets.highestNumber()
                    == outcomes.compactMap { $0.kind == .opened ? $0.ticketNumber : nil }.max()
            )
            let states = try await repositories[0].list(ticketNumber: nil, status: .firing)
            #expect(
                states.count == 10 && states.allSatisfy { $0.count == 4 }
                    && Set(states.compactMap(\.ticketNumber)).count == 10
            )
        }
    }
}
