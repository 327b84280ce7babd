import Synchronization

/// What the database's write transactions have done since the process started, and what waits now:
/// for `/metrics` (rates and averages come from the totals).
public struct WriteActivity: Sendable, Equatable {
    /// Write transactions finished, committed or rolled back.
    public var transactions = 0
    /// Of those, the ones that rolled back with an error.
    public var failures = 0
    /// Seconds spent inside write transactions.
    public var secondsHeld = 0.0
    /// Seconds spent waiting for the writer's turn (SQLite has one writer; PostgreSQL never waits here).
    public var secondsWaited = 0.0
    /// Write transactions waiting for their turn now.
    public var waiting = 0
    /// Ticket creations waiting for the next group commit now.
    public var creationsWaiting = 0

    public init() {}
}

/// The running totals of ``WriteActivity``, updated once per write transaction.
final class WriteTotals: Sendable {
    private let totals = Mutex(WriteActivity())

    func record(waited: Duration, held: Duration, failed: Bool) {
        totals.withLock {
            $0.transactions += 1
            if failed { $0.failures += 1 }
            $0.secondsWaited += waited.seconds
            $0.secondsHeld += held.seconds
        }
    }

    var current: WriteActivity { totals.withLock { $0 } }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
