import Foundation
import Synchronization

/// An admin setting read from the database at most every few seconds. A change saved through this
/// instance takes effect at once; on PostgreSQL another instance hears of it when it commits and reads it
/// again (``ChangeListener``), and within ``lifetime`` should that notice be lost.
final class SettingCache<Value: Sendable>: Sendable {
    static var lifetime: TimeInterval { 5 }

    private let cached: Mutex<(value: Value, expires: Date)?>
    private let load: @Sendable () async throws -> Value

    /// - Parameter load: reads the setting from the database.
    init(load: @escaping @Sendable () async throws -> Value) {
        self.load = load
        cached = Mutex(nil)
    }

    /// The setting, read again when the cached copy has expired.
    func value(at now: Date) async throws -> Value {
        if let hit = cached.withLock({ $0 }), hit.expires > now { return hit.value }
        let value = try await load()
        cached.withLock { $0 = (value, now.addingTimeInterval(Self.lifetime)) }
        return value
    }

    /// The last value read, expired or not.
    var last: Value? { cached.withLock { $0?.value } }

    /// Makes the next read load the setting again; ``last`` keeps the value read before.
    func expire() {
        cached.withLock { $0?.expires = .distantPast }
    }

    /// Takes a value just saved.
    func saved(_ value: Value, at now: Date) {
        cached.withLock { $0 = (value, now.addingTimeInterval(Self.lifetime)) }
    }
}
