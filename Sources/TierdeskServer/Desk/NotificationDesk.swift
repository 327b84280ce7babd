import Foundation
import TierdeskCore
import TierdeskStore

/// Each person's notifications (SLA warnings and breaches); only ever their owner's.
struct NotificationDesk: Sendable {
    let clock: any Clock
    let notifications: NotificationRepository

    func list(for actor: Actor, unreadOnly: Bool = false) async throws -> [TierdeskCore.Notification] {
        try await notifications.list(personID: actor.personID, unreadOnly: unreadOnly)
    }

    /// Counted in the database: lists show the newest 100 only.
    func unreadCount(for actor: Actor) async throws -> Int {
        try await notifications.unreadCount(personID: actor.personID)
    }

    func markRead(_ id: UUID, by actor: Actor) async throws {
        guard try await notifications.markRead(id: id, personID: actor.personID, at: clock.now()) else {
            throw TierdeskError.notFound("You have no notification with the id \(id.uuidString).")
        }
    }

    func markAllRead(by actor: Actor) async throws {
        try await notifications.markAllRead(personID: actor.personID, at: clock.now())
    }
}
