import Foundation
import Logging
import ServiceLifecycle
import TierdeskCore

/// The one loop every background job runs on: a pass, then a sleep until the job's next due time, its
/// longest sleep, or a wake-up from a write in this instance, whichever comes first; until graceful
/// shutdown. A failed pass is logged and retried after ``retryAfter``. The clock and the sleep are
/// injected, so tests drive passes at fixed instants without waiting.
struct JobLoop: ServiceLifecycle.Service {
    let job: any DueJob
    let clock: any TierdeskCore.Clock
    let wakeUps: WakeUps
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// How long to wait after a failed pass.
    static let retryAfter: Duration = .seconds(5)

    init(
        _ job: any DueJob,
        clock: any TierdeskCore.Clock,
        wakeUps: WakeUps = WakeUps(),
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        logger: Logger
    ) {
        self.job = job
        self.clock = clock
        self.wakeUps = wakeUps
        self.sleep = sleep
        self.logger = logger
    }

    func run() async throws {
        try await wakeUps.repeatUntilShutdown(sleep: sleep) { await tick() }
        await job.stop()
    }

    /// One pass; says how long to sleep before the next.
    func tick() async -> Duration {
        do {
            switch try await job.runDue(at: clock.now()) {
            case .immediately: return .zero
            case .idle: return job.longestSleep
            case .at(let next): return Self.pause(until: next, now: clock.now(), longest: job.longestSleep)
            }
        } catch {
            logger.error("\(job.name) failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            return Self.retryAfter
        }
    }

    /// How long to sleep until `next`, at most `longest`; a millisecond late rather than early.
    static func pause(until next: Date, now: Date, longest: Duration) -> Duration {
        let seconds = next.timeIntervalSince(now)
        return seconds <= 0 ? .zero : min(.milliseconds(Int64(seconds * 1000) + 1), longest)
    }
}
