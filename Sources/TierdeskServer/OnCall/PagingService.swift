import Foundation
import Logging
import ServiceLifecycle
import TierdeskCore
import TierdeskStore

/// Sends the due escalation steps of pages and checks the coverage of every schedule once a day. It
/// sleeps until the next step is due, woken early by pages started or stopped in this instance; steps of
/// other instances' pages are picked up within ``longestSleep``. Steps are sent exactly once in the
/// store, so several instances may run it.
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

    func run() async throws {
        try await wakeUps.repeatUntilShutdown(sleep: sleep) { await tick() }
    }

    func tick() async -> Duration {
        do {
            let now = clock.now()
            while try await pages.dispatchDue(at: now) > 0 {}
            let checked = try await oncall.refreshStaleCoverage(olderThan: Self.coverageAge, at: now)
            if checked > 0 { logger.info("Schedule coverage checked", metadata: ["schedules": "\(checked)"]) }
            guard let next = try await pages.nextStepAt() else { return Self.longestSleep }
            return SLATimerService.pause(until: next, now: clock.now(), longest: Self.longestSleep)
        } catch {
            logger.error("Paging failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            return .seconds(5)
        }
    }
}
