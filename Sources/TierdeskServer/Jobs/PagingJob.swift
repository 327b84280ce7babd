import Foundation

/// Sends the due escalation steps of pages. Writes in this instance that may start or stop a page wake
/// it; steps are sent exactly once in the store.
struct PagingJob: DueJob {
    let desk: PagingDesk

    var name: String { "Paging" }
    var longestSleep: Duration { .seconds(15) }

    func runDue(at now: Date) async throws -> NextRun {
        // Reading first keeps wake-ups cheap: most writes that wake the job start no page.
        guard let first = try await desk.nextStepAt() else { return .idle }
        if first > now { return .at(first) }
        _ = try await desk.dispatchDueSteps(at: now)
        return try await desk.nextStepAt().map(NextRun.at) ?? .idle
    }
}
