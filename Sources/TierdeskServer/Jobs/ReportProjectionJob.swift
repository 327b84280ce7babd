import Foundation
import Logging
import Synchronization
import TierdeskStore

/// Keeps the reports' projection up to date in the background, so a report rarely has anything left to
/// catch up (``ReportProjection``). Requests come first: while writes wait for the writer's turn the job
/// waits, and while the desk writes or answers requests it re-derives a small batch per ``busyPause``;
/// only an idle desk gets full batches back to back. A report asked for meanwhile catches up itself.
struct ReportProjectionJob: DueJob {
    let desk: ReportDesk
    let metrics: TierdeskMetrics
    let logger: Logger
    /// Write transactions counted at the last pass: more since then means the desk is busy writing.
    let lastWrites = LastWrites()

    final class LastWrites: Sendable {
        let count = Mutex(-1)
    }

    var name: String { "Report projection" }
    var longestSleep: Duration { .seconds(2) }
    /// The pause between small batches while the desk writes.
    static let busyPause: TimeInterval = 0.25
    /// Tickets per batch while the desk writes.
    static let busyBatch = 50

    func runDue(at now: Date) async throws -> NextRun {
        let projection = desk.reports.projection
        let (writes, waiting) = await projection.writeLoad()
        if waiting { return .at(now.addingTimeInterval(Self.busyPause)) }
        let busy =
            lastWrites.count.withLock { last in
                defer { last = writes }
                return last >= 0 && writes != last
            } || metrics.requestsInFlight > 0
        let derivation = try await desk.derivation(at: now)
        guard try await projection.hasWork(derivation) else { return .idle }
        let limit = busy ? Self.busyBatch : ReportProjection.batch
        let done = try await projection.refresh(derivation, limit: limit)
        if done > 0 { logger.trace("Report projection refreshed", metadata: ["tickets": "\(done)"]) }
        guard done >= limit else { return .idle }
        // The projection's own write counts too: a busy desk is one that wrote more than that.
        lastWrites.count.withLock { $0 += 1 }
        return busy ? .at(now.addingTimeInterval(Self.busyPause)) : .immediately
    }
}
