import Foundation
import Logging
import ServiceLifecycle
import TierdeskCore
import TierdeskStore

/// Sends the due escalation steps of pages, and checks the coverage of every schedule once a day. It
/// sleeps until the next step is due, woken early by writes in this instance that may have started or
/// stopped a page; steps of other instances' pages are picked up within ``longestSleep``. Steps are sent
/// exactly once in the store, so several instances may run it.
struct PagingService: ServiceLifecycle.Service {
    let pages: PageRepository
    let oncall: OnCallDesk
    let clock: any TierdeskCore.Clock
    let wakeUps: WakeUps
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// Longest sleep, so steps of pages started on other instances are never late by more.
    static let longestSleep: Duration = .seconds(15)
    /// How old a coverage check may get.
    static let coverageAge: TimeInterval = 86_400
    /// How often schedules are asked whether their check is that old.
    static let coverageInterval: Duration = .seconds(3600)

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await wakeUps.repeatUntilShutdown(sleep: sleep) { await tick() } }
            group.addTask { try await WakeUps().repeatUntilShutdown(sleep: sleep) { await checkCoverage() } }
        }
    }

    /// Sends what is due now and says how long to sleep. Errors are logged and retried.
    func tick() async -> Duration {
        do {
            // Reading first keeps wake-ups cheap: most writes that wake the service start no page.
            guard let first = try await pages.nextStepAt() else { return Self.longestSleep }
            let now = clock.now()
            if first > now { return SLATimerService.pause(until: first, now: now, longest: Self.longestSleep) }
            _ = try await pages.dispatchDue(at: now)
            guard let next = try await pages.nextStepAt() else { return Self.longestSleep }
            return SLATimerService.pause(until: next, now: clock.now(), longest: Self.longestSleep)
        } catch {
            logger.error("Paging failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            return .seconds(5)
        }
    }

    /// Checks again the coverage of schedules whose last check is a day old.
    func checkCoverage() async -> Duration {
        do {
            let checked = try await oncall.refreshStaleCoverage(olderThan: Self.coverageAge, at: clock.now())
            if checked > 0 { logger.info("Schedule coverage checked", metadata: ["schedules": "\(checked)"]) }
        } catch {
            logger.error("Coverage check failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
        }
        return Self.coverageInterval
    }
}
