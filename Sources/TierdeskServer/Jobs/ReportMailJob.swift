import Foundation
import Logging
import Synchronization

/// Raises checklist breaches to managers every few minutes and sends the weekly digest on Monday morning,
/// both through the outbox (exactly once per breach and per manager and week).
struct ReportMailJob: DueJob {
    let desk: ReportDesk
    let logger: Logger
    /// When the next digest is due, once known: the week's report is computed only then, not every pass.
    let nextDigest = NextDigest()

    final class NextDigest: Sendable {
        let due = Mutex(Date.distantPast)
    }

    var name: String { "Report mail" }
    /// A Sev1 left unanswered for 15 minutes is raised within five more.
    var longestSleep: Duration { .seconds(300) }

    func runDue(at now: Date) async throws -> NextRun {
        guard desk.mailIdentity != nil else { return .idle }
        let alerts = try await desk.raiseChecklistAlerts(at: now)
        if !alerts.isEmpty { logger.debug("Checklist breaches checked", metadata: ["breaches": "\(alerts.count)"]) }
        var digest = nextDigest.due.withLock { $0 }
        if now >= digest {
            digest = try await desk.sendDigestIfDue(at: now)
            nextDigest.due.withLock { $0 = digest }
        }
        return digest.timeIntervalSince(now) < 300 ? .at(digest) : .idle
    }
}
