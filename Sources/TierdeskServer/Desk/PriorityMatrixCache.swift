import Foundation
import Synchronization
import TierdeskCore
import TierdeskStore

/// The priority matrix, read from the database at most every few seconds. A change saved through this
/// instance takes effect at once; another instance picks it up within ``lifetime``.
final class PriorityMatrixCache: Sendable {
    static let lifetime: TimeInterval = 5

    private let cached = Mutex<(matrix: PriorityMatrix, expires: Date)?>(nil)

    func matrix(_ settings: SettingsRepository, at now: Date) async throws -> PriorityMatrix {
        if let hit = cached.withLock({ $0 }), hit.expires > now { return hit.matrix }
        let matrix = try await settings.priorityMatrix()
        cached.withLock { $0 = (matrix, now.addingTimeInterval(Self.lifetime)) }
        return matrix
    }

    func save(_ matrix: PriorityMatrix, to settings: SettingsRepository, at now: Date) async throws {
        try await settings.save(matrix)
        cached.withLock { $0 = (matrix, now.addingTimeInterval(Self.lifetime)) }
    }
}
