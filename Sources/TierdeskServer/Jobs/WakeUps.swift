import NIOConcurrencyHelpers
import ServiceLifecycle

/// Wakes a background service early: ticket changes wake the SLA timer, queued mail wakes the outbox sender.
/// A signal while nobody waits is kept (one, however many arrive), so the next wait returns at once.
///
/// The sleep is its own task, which a signal cancels. (An `AsyncStream` is no good here: cancelling the task
/// that reads it finishes the stream for good, and every later wait would return at once — a busy loop.)
public final class WakeUps: Sendable {
    private struct State {
        var pending = false
        var sleeper: Task<Void, any Error>?
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    func signal() {
        state.withLockedValue { state in
            if let sleeper = state.sleeper {
                sleeper.cancel()
                state.sleeper = nil
            } else {
                state.pending = true
            }
        }
    }

    /// Sleeps for `pause` with `sleep`, or until a signal, whichever comes first.
    func wait(upTo pause: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async throws {
        guard pause > .zero else { return }
        let sleeper = Task { try await sleep(pause) }
        let signalled = state.withLockedValue { state in
            if state.pending {
                state.pending = false
                return true
            }
            state.sleeper = sleeper
            return false
        }
        if signalled { sleeper.cancel() }
        await withTaskCancellationHandler {
            _ = await sleeper.result
        } onCancel: {
            sleeper.cancel()
        }
        state.withLockedValue { state in
            if state.sleeper == sleeper { state.sleeper = nil }
        }
        try Task.checkCancellation()
    }

    /// Runs `tick` until graceful shutdown or cancellation; between ticks it waits as long as `tick` says,
    /// or until a signal.
    func repeatUntilShutdown(
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        _ tick: @escaping @Sendable () async -> Duration
    ) async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    let pause = await tick()
                    try await self.wait(upTo: pause, sleep: sleep)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
