import ArgumentParser
import Foundation

/// The size of the data set the seeding commands write (`seed`, `reports`, `queue`).
struct DataSetOptions: ParsableArguments {
    @Option(help: "Tickets in the data set.") var tickets = 1_000_000
    @Option(help: "Customer organisations (five requesters each).") var organisations = 200
    @Option(help: "Agents (half L1, 30 % L2, 20 % L3).") var agents = 300

    /// The data set, its history ending at `now`.
    func dataSet(now: Date) -> DataSet {
        DataSet(tickets: tickets, organisations: organisations, agents: agents, now: now)
    }
}

/// Where a benchmark keeps its data set between runs (`reports`, `queue`, `search`).
struct KeepOption: ParsableArguments {
    @Option(
        help: """
            Keep the data set in this SQLite file (a PostgreSQL schema of this name with \
            TIERDESK_TEST_DATABASE_URL) and reuse it when it already holds tickets.
            """
    )
    var keep: String?
}
