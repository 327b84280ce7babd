import NIOConcurrencyHelpers
import Testing

@testable import TierdeskServer

/// Background services sleep between ticks and are woken early by signals; a sleep that ran out must not
/// leave later waits returning at once (that turned the services into busy loops).
struct WakeUpsTests {
    /// A sleep that reports when it starts and lasts until it is cancelled.
    final class Sleeps: Sendable {
        let started: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation

        init() {
            (started, continuation) = AsyncStream.makeStream(of: Void.self)
        }

        var untilCancelled: @Sendable (Duration) async throws -> Void {
            { [continuation] _ in
                continuation.yield()
                try await Task.sleep(for: .seconds(86_400))
            }
        }
    }

    @Test func afterASleepRunsOutTheNextWaitStillWaitsForItsSignal() async throws {
        let wakeUps = WakeUps()
        // The first two waits end by their sleep, as a quiet service's do.
        try await wakeUps.wait(upTo: .seconds(1), sleep: { _ in })
        try await wakeUps.wait(upTo: .seconds(1), sleep: { _ in })
        let sleeps = Sleeps()
        let done = NIOLockedValueBox(false)
        let waiter = Task {
            try await wakeUps.wait(upTo: .seconds(60), sleep: sleeps.untilCancelled)
            done.withLockedValue { $0 = true }
        }
        var started = sleeps.started.makeAsyncIterator()
        _ = await started.next()
        // The wait is asleep; nothing but a signal may end it, however often the others run.
        for _ in 0..<1000 { await Task.yield() }
        #expect(done.withLockedValue { $0 } == false)
        wakeUps.signal()
        try await waiter.value
        #expect(done.withLockedValue { $0 })
    }

    @Test func aSignalWhileNobodyWaitsEndsTheNextWaitAtOnce() async throws {
        let wakeUps = WakeUps()
        wakeUps.signal()
        wakeUps.signal()
        let sleeps = Sleeps()
        try await wakeUps.wait(upTo: .seconds(60), sleep: sleeps.untilCancelled)
        // Two signals count as one: the wait after that sleeps until the next signal.
        let waiter = Task { try await wakeUps.wait(upTo: .seconds(60), sleep: sleeps.untilCancelled) }
        var started = sleeps.started.makeAsyncIterator()
        _ = await started.next()
        wakeUps.signal()
        try await waiter.value
    }
}
