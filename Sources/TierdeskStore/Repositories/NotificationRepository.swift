import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// In-app notifications for staff. They are written in the transaction of the change that causes them.
public struct NotificationRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    static func insert(_ notifications: [TierdeskCore.Notification], on sql: any SQLDatabase) async throws {
        guard !notifications.isEmpty else { return }
        let insert = sql.insert(into: "notifications")
            .columns("id", "person_id", "ticket_id", "ticket_number", "kind", "message", "created_at", "read_at")
        for item in notifications {
            insert.values(
                SQLBind(item.id),
                SQLBind(item.personID),
                SQLBind(item.ticketID),
                SQLBind(item.ticketNumber),
                SQLBind(item.kind.rawValue),
                SQLBind(item.message),
                SQLBind(item.createdAt),
                SQLBind(item.readAt)
            )
        }
        try await insert.run()
    }

    /// How each of `people` wants notifications to leave the console; absent for the defaults.
    static func preferences(of people: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID:
        NotificationPreferences]
    {
        guard !people.isEmpty else { return [:] }
        var found: [UUID: NotificationPreferences] = [:]
        for row in try await sql.select().columns("person_id", "spec").from("notification_preferences")
            .where("person_id", .in, SQLBind.group(Array(people))).all()
        {
            found[try row.decode(column: "person_id", as: UUID.self)] = try JSONDecoder()
                .decode(NotificationPreferences.self, from: Data(try row.decode(column: "spec", as: String.self).utf8))
        }
        return found
    }

    /// How `person` wants notifications to leave the console (the defaults when never set).
    public func preferences(of person: UUID) async throws -> NotificationPreferences {
        try await Self.preferences(of: [person], on: database.sql)[person] ?? NotificationPreferences()
    }

    public func save(_ preferences: NotificationPreferences, of person: UUID, at now: Date) async throws {
        let spec = String(decoding: try JSONEncoder().encode(preferences), as: UTF8.self)
        try await database.write { db in
            try await db.sql.insert(into: "notification_preferences").columns("person_id", "spec", "updated_at")
                .values(SQLBind(person), SQLBind(spec), SQLBind(now))
                .onConflict(with: ["person_id"]) { $0.set(excludedValueOf: "spec").set(excludedValueOf: "updated_at") }
                .run()
        }
    }

    /// A person's notifications, newest first.
    public func list(personID: UUID, unreadOnly: Bool = false, limit: Int = 100) async throws -> [TierdeskCore
        .Notification]
    {
        let select = database.sql.select()
            .columns("id", "person_id", "ticket_id", "ticket_number", "kind", "message", "created_at", "read_at")
            .from("notifications").where("person_id", .equal, personID)
        if unreadOnly { select.where("read_at", .is, SQLLiteral.null) }
        return try await select.orderBy("created_at", .descending).orderBy("id").limit(limit).all()
            .map { row in
                try TierdeskCore.Notification(
                    id: row.decode(column: "id", as: UUID.self),
                    personID: row.decode(column: "person_id", as: UUID.self),
                    ticketID: row.decode(column: "ticket_id", as: UUID.self),
                    ticketNumber: row.decode(column: "ticket_number", as: Int.self),
                    kind: TierdeskCore.Notification.Kind(rawValue: row.decode(column: "kind", as: String.self))
                        ?? .slaWarning,
                    message: row.decode(column: "message", as: String.self),
                    createdAt: row.decode(column: "created_at", as: Date.self),
                    readAt: row.decode(column: "read_at", as: Date?.self)
                )
            }
    }

    /// What a console page's header needs of a person, in one query: their preferences (for their time
    /// zone) and how many unread notifications they have, counted up to `cap` (the badge reads "99+").
    public func header(personID: UUID, cap: Int) async throws -> (preferences: NotificationPreferences, unread: Int) {
        let row = try await database.sql
            .raw(
                """
                SELECT (SELECT spec FROM notification_preferences WHERE person_id = \(bind: personID)) AS spec,
                (SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE person_id = \(bind: personID) \
                AND read_at IS NULL LIMIT \(literal: cap)) AS unread) AS unread
                """
            )
            .first()
        let preferences = try row.flatMap { try $0.decode(column: "spec", as: String?.self) }
            .map { try JSONDecoder().decode(NotificationPreferences.self, from: Data($0.utf8)) }
        return (preferences ?? NotificationPreferences(), try row?.decode(column: "unread", as: Int.self) ?? 0)
    }

    /// How many unread notifications a person has.
    public func unreadCount(personID: UUID) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("notifications")
            .where("person_id", .equal, personID).where("read_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Marks a person's notification read; false if they have none with this id.
    public func markRead(id: UUID, personID: UUID, at now: Date) async throws -> Bool {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let found = try await sql.select().column("read_at").from("notifications").where("id", .equal, id)
                .where("person_id", .equal, personID).first()
            guard let found else { return false }
            if try found.decodeNil(column: "read_at") {
                try await sql.update("notifications").set("read_at", to: SQLBind(now)).where("id", .equal, id).run()
            }
            return true
        }
    }

    /// Marks all of a person's notifications read.
    public func markAllRead(personID: UUID, at now: Date) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("notifications").set("read_at", to: SQLBind(now))
                .where("person_id", .equal, personID).where("read_at", .is, SQLLiteral.null).run()
        }
    }
}
