import Foundation
import TierdeskCore
import TierdeskStore

/// Each person's notifications (SLA warnings and breaches) and how they leave the console; only ever
/// their owner's.
struct NotificationDesk: Sendable {
    let clock: any Clock
    let notifications: NotificationRepository
    let settings: SettingsRepository

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

    /// How the caller's notifications leave the console.
    func preferences(for actor: Actor) async throws -> NotificationPreferences {
        try Self.requireStaff(actor)
        return try await notifications.preferences(of: actor.personID)
    }

    /// Saves the caller's choice; a chat webhook into a private network needs the paging settings' permission.
    func save(_ preferences: NotificationPreferences, by actor: Actor) async throws -> NotificationPreferences {
        try Self.requireStaff(actor)
        let allowPrivate = try await settings.paging().allowPrivateTargets
        let checked: NotificationPreferences
        do { checked = try preferences.checked(allowPrivateTargets: allowPrivate) } catch {
            throw TierdeskError.invalid(error)
        }
        try await notifications.save(checked, of: actor.personID, at: clock.now())
        return checked
    }

    /// Sets the time zone the caller's pages show times in (nil or empty: the browser's); anyone signed in.
    func saveTimeZone(_ zone: String?, by actor: Actor) async throws {
        let zone = zone?.trimmingWhitespace() ?? ""
        guard zone.isEmpty || NotificationPreferences.isKnownZone(zone) else {
            throw TierdeskError.invalid(field: "timeZone", NotificationPreferences.zoneMessage)
        }
        var preferences = try await notifications.preferences(of: actor.personID)
        preferences.timeZone = zone.isEmpty ? nil : zone
        try await notifications.save(preferences, of: actor.personID, at: clock.now())
    }

    /// Only staff get SLA notifications (``Action/receiveNotifications``).
    static func requireStaff(_ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(.receiveNotifications, by: actor), notFound: "")
    }
}
