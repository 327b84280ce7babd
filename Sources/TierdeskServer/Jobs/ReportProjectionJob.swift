import Foundation
import Logging

/// Keeps the reports' projection up to date in the background, a batch per pass, so a report rarely has
/// anything left to catch up (``ReportProjection``). Intake comes first: while writes wait for the writer's
/// turn, the job waits too (a report asked for meanwhile catches up itself).
struct ReportProjectionJob: DueJob {
    let desk: ReportDesk
    let logger: Logger

    var name: String { "Report projection" }
    var longestSleep: Duration { .seconds(2) }
    /// How long the job waits when writes are waiting.
    static let giveWay: TimeInterval = 0.25

    func runDue(at now: Date) async throws -> NextRun {
        let derivation = try await desk.derivation(at: now)
        let projection = desk.reports.projection
        if await projection.writesWaiting() { return .at(now.addingTimeInterval(Self.giveWay)) }
        guard try await projection.hasWork(derivation) else { return .idle }
        let done = try await projection.refresh(derivation)
        if done > 0 { logger.trace("Report projection refreshed", metadata: ["tickets": "\(done)"]) }
        return done >= type(of: projection).batch ? .immediately : .idle
    }
}
