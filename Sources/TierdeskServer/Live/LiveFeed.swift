import Foundation
import Logging
import ServiceLifecycle
import TierdeskStore

/// Ticket changes for the live pages. While anyone listens, one reader per process reads the events written
/// since its last read (by any instance: it reads the database) every ``interval`` and hands each change to
/// every listener; between changes listeners hear a tick, so a stream can keep its connection alive and
/// notice a browser that left. On graceful shutdown every stream ends.
///
/// PostgreSQL may commit a transaction holding an earlier event after a later one: each read looks
/// ``lookback`` events behind the newest seen and skips those already handed over.
actor LiveFeed: ServiceLifecycle.Service {
    /// What a listener hears.
    enum Item: Sendable, Equatable {
        case change(TicketRepository.LiveChange)
        case tick
    }

    let tickets: TicketRepository
    let interval: Duration
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger
    private var listeners: [UUID: AsyncStream<Item>.Continuation] = [:]
    private var newest: Int64?
    private var handed: Set<Int64> = []
    /// Readers waiting for someone to listen (one per running service; a test may run two).
    private var waiting: [CheckedContinuation<Void, Never>] = []

    static let lookback: Int64 = 200
    static let batch = 500

    init(
        tickets: TicketRepository,
        interval: Duration = .milliseconds(500),
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        logger: Logger
    ) {
        self.tickets = tickets
        self.interval = interval
        self.sleep = sleep
        self.logger = logger
    }

    /// A new listener's stream; ``stop(_:)`` ends it.
    func listen() -> (UUID, AsyncStream<Item>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(1000))
        listeners[id] = continuation
        wake()
        return (id, stream)
    }

    func stop(_ id: UUID) {
        listeners.removeValue(forKey: id)?.finish()
    }

    var listenerCount: Int { listeners.count }

    /// Reads the changes written since the last read and hands them over; returns them. The first read only
    /// notes where the history stands.
    @discardableResult
    func poll() async throws -> [TicketRepository.LiveChange] {
        guard let newest else {
            self.newest = try await tickets.newestEventSeq()
            return []
        }
        let changes = try await tickets.changes(after: max(0, newest - Self.lookback), limit: Self.batch)
            .filter { !handed.contains($0.seq) }
        for change in changes {
            handed.insert(change.seq)
            for listener in listeners.values { listener.yield(.change(change)) }
        }
        if let last = changes.map(\.seq).max(), last > newest {
            self.newest = last
            handed = handed.filter { $0 > last - Self.lookback }
        }
        if changes.isEmpty { for listener in listeners.values { listener.yield(.tick) } }
        return changes
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if await self.listenerCount == 0 {
                    await self.waitForListener()
                    // Nobody heard what happened meanwhile; the first read notes where the history stands.
                    await self.forget()
                    continue
                }
                do {
                    try await self.poll()
                } catch {
                    self.logger.warning("Reading ticket changes for live pages failed", metadata: ["error": "\(error)"])
                }
                do { try await self.sleep(self.interval) } catch { return }
            }
        }
        finishAll()
    }

    /// Waits until someone listens or the task is cancelled.
    private func waitForListener() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if listeners.isEmpty && !Task.isCancelled {
                    waiting.append(continuation)
                } else {
                    continuation.resume()
                }
            }
        } onCancel: {
            Task { await self.wake() }
        }
    }

    private func forget() {
        newest = nil
        handed.removeAll()
    }

    private func wake() {
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }

    private func finishAll() {
        wake()
        for listener in listeners.values { listener.finish() }
        listeners.removeAll()
    }
}
