import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Group commit for alert intake: requests that arrive together share one transaction, so a busy source
/// costs one disk flush per batch instead of one per request. The batch first takes the locks of all its
/// keys in one global order (PostgreSQL), then applies each request in arrival order. If a batch cannot
/// be stored, each request is tried again alone, so one bad request never takes others down with it.
actor AlertIngestQueue {
    /// One request's signals and how its tickets are written.
    struct Request: Sendable {
        var signals: [AlertSignal]
        var ticketing: AlertTicketing
    }

    /// What one request did, and what to do once it has committed.
    struct Applied: Sendable {
        var outcomes: [AlertRepository.Outcome]
        /// Whether mail was queued (the sender is woken after the commit).
        var mailed: Bool
        /// Tickets written, to drop from the ticket cache after the commit.
        var touched: [Int]
    }

    /// Applies a batch of requests in the transaction it is given.
    typealias Store = @Sendable ([Request], any SQLDatabase) async throws -> [Applied]

    /// Most requests in one transaction.
    static let maxBatch = 64

    private let database: TierdeskDatabase
    private let store: Store
    private var pending: [(request: Request, continuation: CheckedContinuation<Applied, any Error>)] = []
    private var draining = false

    init(database: TierdeskDatabase, store: @escaping Store) {
        self.database = database
        self.store = store
    }

    func submit(_ request: Request) async throws -> Applied {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((request, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            do {
                let results = try await write(batch.map(\.request))
                for (item, result) in zip(batch, results) { item.continuation.resume(returning: result) }
            } catch where batch.count > 1 {
                for item in batch {
                    do {
                        item.continuation.resume(returning: try await write([item.request])[0])
                    } catch {
                        item.continuation.resume(throwing: error)
                    }
                }
            } catch {
                batch[0].continuation.resume(throwing: error)
            }
        }
        draining = false
    }

    private func write(_ requests: [Request]) async throws -> [Applied] {
        let store = store
        return try await database.write { db in try await store(requests, db as! any SQLDatabase) }
    }
}
