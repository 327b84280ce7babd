import Foundation
import Logging

/// Checks again, once a day, whether every on-call schedule has a primary and a secondary for each shift.
struct CoverageJob: DueJob {
    let oncall: OnCallDesk
    let logger: Logger

    var name: String { "Coverage check" }
    /// Schedules are asked hourly whether their check is a day old.
    var longestSleep: Duration { .seconds(3600) }
    /// How old a coverage check may get.
    static let coverageAge: TimeInterval = 86_400

    func runDue(at now: Date) async throws -> NextRun {
        let checked = try await oncall.refreshStaleCoverage(olderThan: Self.coverageAge, at: now)
        if checked > 0 { logger.info("Schedule coverage checked", metadata: ["schedules": "\(checked)"]) }
        return .idle
    }
}
