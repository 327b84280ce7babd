import Foundation
import Synchronization

/// Remembers, for a few seconds, what a secret token stands for (a person, an integration), so that busy
/// clients do not cost a database lookup per request. Revoking a token or changing what it stands for
/// through this instance takes effect at once; on PostgreSQL another instance forgets its entries when it
/// hears of the change (``ChangeListener``), and within ``lifetime`` should that notice be lost.
final class TokenCache<Value: Sendable>: Sendable {
    struct Entry {
        /// The token's own id, to forget it when it is revoked.
        var tokenID: UUID
        var value: Value
        var expires: Date
    }

    /// How long an entry is trusted.
    static var lifetime: TimeInterval { 5 }
    /// Most entries kept; past that the cache starts afresh.
    static var capacity: Int { 10_000 }

    private let entries = Mutex<[String: Entry]>([:])

    func value(tokenHash: String, at now: Date) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.expires > now else {
                entries[tokenHash] = nil
                return nil
            }
            return entry.value
        }
    }

    func remember(tokenHash: String, tokenID: UUID, value: Value, at now: Date) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = Entry(tokenID: tokenID, value: value, expires: now.addingTimeInterval(Self.lifetime))
        }
    }

    func forget(tokenID: UUID) {
        forget { entry in entry.tokenID == tokenID }
    }

    /// Forgets every entry.
    func forgetAll() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// Forgets every entry `matches` picks (all tokens of a changed person, for instance).
    func forget(where matches: (Entry) -> Bool) {
        entries.withLock { entries in entries = entries.filter { !matches($0.value) } }
    }
}
