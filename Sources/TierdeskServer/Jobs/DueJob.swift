import Foundation

/// Work that falls due and is done later by a ``JobLoop``: SLA alarms, the outbox, page steps, coverage
/// checks. A pass claims what is due in the store (exactly once, so several instances may run the same
/// job) and says when to look again.
protocol DueJob: Sendable {
    /// Names the job in logs.
    var name: String { get }
    /// Longest sleep between passes, so work queued by other instances is never late by more.
    var longestSleep: Duration { get }
    /// Does what is due at `now` and says when the next pass should run.
    func runDue(at now: Date) async throws -> NextRun
    /// Releases what the job holds (connections) once its loop has ended.
    func stop() async
}

extension DueJob {
    func stop() async {}
}

/// When a ``DueJob`` wants its next pass.
enum NextRun: Equatable, Sendable {
    /// At once: the pass claimed a full batch, so more may be waiting.
    case immediately
    /// When the next known item falls due.
    case at(Date)
    /// Nothing is pending; after the job's longest sleep, or a wake-up.
    case idle
}
