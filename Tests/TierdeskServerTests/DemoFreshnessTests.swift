import Foundation
import Logging
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// The demo is laid out around the moment it is loaded, so a newcomer finds a working desk whenever that
/// is: fresh tickets, some due soon, some waiting on the customer or a vendor, and a few overdue.
struct DemoFreshnessTests {
    /// A month after the fixtures' usual instant, in the afternoon of a working day in Berlin.
    static let loadedAt = ServerFixture.t0.addingTimeInterval(30 * 86_400)

    @Test func loadedAMonthLaterTheQueueHasAMixNotABacklogOnFire() async throws {
        var logger = Logger(label: "tierdesk-demo-tests")
        logger.logLevel = .warning
        try await ScratchDatabase.with(logger: logger) { database in
            var configuration = TierdeskConfiguration(
                database: database,
                clock: FixedClock(Self.loadedAt),
                logger: logger
            )
            configuration.bcryptCost = 4
            let components = try await AppComponents(configuration)
            #expect(try await DemoData.loadIfEmpty(components))

            var query = TicketQuery()
            query.openOnly = true
            query.limit = 500
            let open = try await components.tickets.list(query, visibility: .all)
            let now = Self.loadedAt
            let paused = open.filter { $0.status == .pendingCustomer || $0.status == .onHold }
            let running = open.filter { !paused.map(\.id).contains($0.id) }
            let overdue = running.filter { ($0.nextDeadline ?? .distantFuture) < now }
            let dueSoon = running.filter {
                guard let deadline = $0.nextDeadline else { return false }
                return deadline >= now && deadline < now.addingTimeInterval(8 * 3600)
            }
            let fresh = running.filter { now.timeIntervalSince($0.createdAt) < 12 * 3600 }
            #expect(open.count >= 20)
            #expect(!paused.isEmpty)
            #expect(overdue.count >= 2 && overdue.count * 4 <= open.count, "overdue: \(overdue.map(\.reference))")
            #expect(dueSoon.count >= 2, "due within eight hours: \(dueSoon.map(\.reference))")
            #expect(fresh.count >= 5, "opened in the last twelve hours: \(fresh.map(\.reference))")
            // Nothing of the story happens after the moment it was loaded.
            #expect(open.allSatisfy { $0.createdAt <= now && $0.updatedAt <= now })
        }
    }

    /// Whether the demo is loaded in the afternoon or the evening, the only out-of-hours work in it is Ben's
    /// night page: 144 minutes owed (acknowledged 02:06, work logged 02:10–04:30). The desk's routine work
    /// is logged in working hours, which the evening used to push past 17:00.
    @Test(arguments: [0.0, 3 * 3600.0, 9 * 3600.0])
    func theTimeOwedForTheNightIsTheSameWhenTheDemoIsLoaded(offset: TimeInterval) async throws {
        var logger = Logger(label: "tierdesk-demo-tests")
        logger.logLevel = .warning
        try await ScratchDatabase.with(logger: logger) { database in
            let loadedAt = Self.loadedAt.addingTimeInterval(offset)
            var configuration = TierdeskConfiguration(database: database, clock: FixedClock(loadedAt), logger: logger)
            configuration.bcryptCost = 4
            let components = try await AppComponents(configuration)
            #expect(try await DemoData.loadIfEmpty(components))
            let ben = try #require(try await components.directory.person(email: "ben.l2@tierdesk.example"))
            let desk = components.timeOffDesk
            let lines =
                try await desk.outOfHours(
                    in: loadedAt.addingTimeInterval(-7 * 86_400)..<loadedAt,
                    person: ben.id,
                    hours: try await desk.workingHours().calendar
                )
                .lines
            #expect(lines.map(\.totalSeconds) == [144 * 60], "loaded \(offset / 3600) h later")
        }
    }
}
