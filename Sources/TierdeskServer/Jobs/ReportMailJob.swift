import Foundation
import Logging

/// Raises checklist breaches to managers every few minutes and sends the weekly digest on Monday morning,
/// both through the outbox (exactly once per breach and per manager and week).
struct ReportMailJob: DueJob {
    let desk: ReportDesk
    let logger: Logger

    var name: String { "Report mail" }
    /// A Sev1 left unanswered for 15 minutes is raised within five more.
    var longestSleep: Duration { .seconds(300) }

    func runDue(at now: Date) async throws -> NextRun {
        guard desk.mailIdentity != nil else { return .idle }
        let alerts = try await desk.raiseChecklistAlerts(at: now)
        if !alerts.isEmpty { logger.debug("Checklist breaches checked", metadata: ["breaches": "\(alerts.count)"]) }
        let digest = try await desk.sendDigestIfDue(at: now)
        return digest.timeIntervalSince(now) < 300 ? .at(digest) : .idle
    }
}
