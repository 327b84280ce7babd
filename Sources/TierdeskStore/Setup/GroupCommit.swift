import FluentKit
import Foundation
import SQLKit

/// Group commit: items submitted at the same moment share one transaction, so one disk flush serves a
/// whole batch. Each caller still gets its own result or its own error. If a batch cannot be stored, each
/// of its items is tried again alone, so one bad item never takes others down with it. What the store
/// asks to wake (the outbox's sender, say) is woken once the transaction has committed.
actor GroupCommit<Item: Sendable, Output: Sendable> {
    /// Stores a batch in the transaction it is given: one result per item, and what to wake after the commit.
    typealias Store =
        @Sendable (_ items: [Item], _ sql: any SQLDatabase) async throws -> (
            results: [Result<Output, any Error>], wakes: [@Sendable () -> Void]
        )

    private let maxBatch: Int
    private let store: Store
    private var pending: [(item: Item, continuation: CheckedContinuation<Output, any Error>)] = []
    private var draining = false

    init(maxBatch: Int, store: @escaping Store) {
        self.maxBatch = maxBatch
        self.store = store
    }

    /// Items waiting for the next transaction.
    var waiting: Int { pending.count }

    func submit(_ item: Item, to database: TierdeskDatabase) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((item, continuation))
            if !draining {
                draining = true
                Task { await drain(database) }
            }
        }
    }

    private func drain(_ database: TierdeskDatabase) async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            do {
                let results = try await write(batch.map(\.item), on: database)
                for (entry, result) in zip(batch, results) { entry.continuation.resume(with: result) }
            } catch  where batch.count > 1 {
                for entry in batch {
                    do {
                        entry.continuation.resume(with: try await write([entry.item], on: database)[0])
                    } catch {
                        entry.continuation.resume(throwing: error)
                    }
                }
            } catch {
                batch[0].continuation.resume(throwing: error)
            }
        }
        draining = false
    }

    private func write(_ items: [Item], on database: TierdeskDatabase) async throws -> [Result<Output, any Error>] {
        let store = store
        let (results, wakes) = try await database.write { db in try await store(items, db as! any SQLDatabase) }
        for wake in wakes { wake() }
        return results
    }
}
