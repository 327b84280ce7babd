import Foundation
import Logging

/// Keeps major incidents' update cadence (reminders before each deadline, a recorded miss and a page
/// after it) and declares incidents for bursts of tickets on one service. Every change is conditional on
/// the incident's version, so several instances may run it.
struct IncidentJob: DueJob {
    let desk: IncidentDesk
    let logger: Logger

    var name: String { "Incident cadence" }
    /// Bursts are looked for at least once a minute.
    var longestSleep: Duration { .seconds(60) }

    func runDue(at now: Date) async throws -> NextRun {
        let handled = try await desk.keepCadence(at: now)
        if handled > 0 { logger.info("Incident reminders and misses handled", metadata: ["count": "\(handled)"]) }
        let declared = try await desk.declareBursts(at: now)
        if declared > 0 {
            logger.warning("Major incidents declared for ticket bursts", metadata: ["count": "\(declared)"])
        }
        return try await desk.nextCadenceCheck().map(NextRun.at) ?? .idle
    }
}
