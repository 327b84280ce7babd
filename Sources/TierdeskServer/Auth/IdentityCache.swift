import Foundation
import Synchronization
import TierdeskCore

/// Remembers, for a few seconds, who an API token belongs to, so that busy integrations do not cost
/// two lookups per request. Revoking a token or changing a person through this instance takes effect
/// at once; another instance notices within ``lifetime``.
final class IdentityCache: Sendable {
    struct Entry {
        var tokenID: UUID
        var person: Person
        var expires: Date
    }

    /// How long an entry is trusted.
    static let lifetime: TimeInterval = 5
    /// Most entries kept; past that the cache starts afresh.
    static let capacity = 10_000

    private let entries = Mutex<[String: Entry]>([:])

    func person(tokenHash: String, at now: Date) -> Person? {
        entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.expires > now else {
                entries[tokenHash] = nil
                return nil
            }
            return entry.person
        }
    }

    func remember(tokenHash: String, tokenID: UUID, person: Person, at now: Date) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = Entry(tokenID: tokenID, person: person, expires: now.addingTimeInterval(Self.lifetime))
        }
    }

    func forget(tokenID: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.value.tokenID != tokenID } }
    }

    func forget(personID: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.value.person.id != personID } }
    }
}
