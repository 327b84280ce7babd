import ServiceLifecycle

/// Wakes a background service early: ticket changes wake the SLA timer, queued mail wakes the outbox sender.
public final class WakeUps: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func signal() {
        continuation.yield()
    }

    /// Sleeps for `pause` with `sleep`, or until a signal, whichever comes first.
    func wait(upTo pause: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async throws {
        guard pause > .zero else { return }
        let stream = stream
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sleep(pause) }
            group.addTask {
                for await _ in stream { return }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Runs `tick` until graceful shutdown or cancellation; between ticks it waits as long as `tick` says,
    /// or until a signal.
    func repeatUntilShutdown(sleep: @escaping @Sendable (Duration) async throws -> Void, _ tick: @escaping @Sendable () async -> Duration) async throws {
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
