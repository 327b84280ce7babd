import SQLKit

/// The engine under the store. The few statements that differ (row locks, full-text search, advisory
/// locks) ask it instead of comparing dialect names.
public enum DatabaseEngine: Sendable, Equatable {
    /// One file, one writer at a time: reads for a change need no row locks.
    case sqlite
    /// Several instances write at once: rows read for a change are locked, claims skip locked rows.
    case postgresql

    /// Whether other writers may run beside this one, so that rows read for a change must be locked.
    public var hasConcurrentWriters: Bool { self == .postgresql }
}

extension SQLDatabase {
    /// The engine this connection talks to; the one place that reads the dialect's name.
    var engine: DatabaseEngine { dialect.name == "postgresql" ? .postgresql : .sqlite }
}

extension SQLSelectBuilder {
    /// Locks the rows read against other writers until the transaction ends (`FOR UPDATE`); with
    /// `skipLocked`, rows another writer holds are passed over, so several instances claim disjoint work.
    /// Nothing on SQLite, whose one writer excludes the others.
    @discardableResult
    func lockedForUpdate(on engine: DatabaseEngine, skipLocked: Bool = false) -> Self {
        guard engine.hasConcurrentWriters else { return self }
        return lockingClause(skipLocked ? SQLRaw("FOR UPDATE SKIP LOCKED") : SQLLockingClause.update)
    }
}

extension DatabaseEngine {
    /// The suffix that claims rows in hand-written SQL: `FOR UPDATE SKIP LOCKED` where other writers run.
    var skipLockedClause: String { hasConcurrentWriters ? " FOR UPDATE SKIP LOCKED" : "" }
}
