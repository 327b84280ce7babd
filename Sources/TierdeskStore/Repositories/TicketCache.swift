import Foundation
import Synchronization
import TierdeskCore

/// Recently read tickets with their access scope, for SQLite deployments.
///
/// SQLite runs Tierdesk as one process, and every ticket change in that process goes through
/// ``TicketRepository/modify(number:_:)``, which drops the entry before and after its transaction.
/// Changing an organisation clears the cache, since its sharing flag is part of every scope.
/// A reader only stores what it read if nothing was dropped meanwhile (the generation is unchanged),
/// so a read that raced a write never leaves the older state behind.
/// PostgreSQL deployments run several instances and read the database every time.
final class TicketCache: Sendable {
    /// Most tickets kept; past that the cache starts afresh.
    static let capacity = 50_000

    private struct State {
        var entries: [Int: (Ticket, TicketScope)] = [:]
        var generation = 0
    }

    private let state = Mutex(State())

    /// The entry, or the generation to hand to ``put(_:_:ifGeneration:)`` after reading the database.
    func get(_ number: Int) -> Result<(Ticket, TicketScope), Generation> {
        state.withLock { state in
            if let entry = state.entries[number] { return .success(entry) }
            return .failure(Generation(value: state.generation))
        }
    }

    func put(_ number: Int, _ value: (Ticket, TicketScope), ifGeneration generation: Generation) {
        state.withLock { state in
            guard state.generation == generation.value else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[number] = value
        }
    }

    func remove(_ number: Int) {
        state.withLock { state in
            state.entries[number] = nil
            state.generation += 1
        }
    }

    func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
        }
    }

    struct Generation: Error {
        var value: Int
    }
}
