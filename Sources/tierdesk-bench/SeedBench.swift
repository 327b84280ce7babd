import ArgumentParser
import Foundation
import Logging
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Writes a realistic data set of any size into a scratch database (SQLite, or PostgreSQL with
/// TIERDESK_TEST_DATABASE_URL) and times it.
struct SeedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write a realistic data set (two years of tickets with their histories) and time it."
    )

    @OptionGroup var data: DataSetOptions

    func run() async throws {
        var logger = Logger(label: "tierdesk-bench")
        logger.logLevel = .critical
        let set = data.dataSet(now: Date())
        try await ScratchDatabase.with(logger: logger) { database in
            try await database.migrate()
            let (written, seconds) = try await Seeding.seed(set, into: database)
            print(
                String(
                    format:
                        "seed (%@): %d tickets with %d events (%d open) in %.1f s = %.0f tickets per second, deadlines and alarms of the open ones included",
                    database.engine == .sqlite ? "SQLite" : "PostgreSQL",
                    written.tickets,
                    written.events,
                    written.open,
                    seconds,
                    Double(written.tickets) / seconds
                )
            )
        }
    }
}

/// Writing a data set and planning the deadlines and alarms of its open tickets.
enum Seeding {
    /// Writes the data set, then plans the deadlines and alarms of its open tickets; returns the time taken.
    static func seed(_ set: DataSet, into database: TierdeskDatabase) async throws -> (DataSet.Written, Double) {
        let began = ContinuousClock.now
        let written = try await set.write(into: database)
        _ = try await TicketRepository(database).replanOpenTickets(planner: SLAConfiguration.standard)
        return (written, (ContinuousClock.now - began).seconds)
    }
}

extension InProcessServer {
    /// A member of staff with a password and an API token, for the benches that call the seeded server.
    func addStaff(email: String, name: String, role: Role, tier: Tier?) async throws -> (
        password: String, token: String
    ) {
        let directory = CommandLineDirectory(components)
        let password = "bench-password-\(UUID().uuidString.prefix(8))"
        _ = try await directory.addPerson(
            email: email,
            name: name,
            roles: [role],
            tier: tier,
            organisation: nil,
            vendor: nil,
            password: password
        )
        return (password, try await directory.issueToken(email: email, name: "bench"))
    }
}
