import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Who watches a ticket (``M036_CreateTicketWatchers``), and the notifications a ticket write gives them.
extension TicketRepository {
    /// The people watching `ticketID`, in the order they began.
    public func watchers(of ticketID: UUID) async throws -> [UUID] {
        try await database.sql.select().column("person_id").from("ticket_watchers")
            .where("ticket_id", .equal, SQLBind(ticketID)).orderBy("added_at").orderBy("person_id")
            .all(decodingColumn: "person_id", as: UUID.self)
    }

    /// Makes `personID` a watcher of `ticketID` (once); refused past ``TicketWatch/maxWatchers``.
    public func watch(_ ticketID: UUID, personID: UUID, by addedBy: UUID, at now: Date) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let count =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("ticket_watchers").where("ticket_id", .equal, SQLBind(ticketID))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            guard count < TicketWatch.maxWatchers else {
                throw TierdeskError.invalid(
                    field: "watcher",
                    "a ticket has at most \(TicketWatch.maxWatchers) watchers; remove one first"
                )
            }
            try await sql.insert(into: "ticket_watchers").columns("ticket_id", "person_id", "added_by", "added_at")
                .values(SQLBind(ticketID), SQLBind(personID), SQLBind(addedBy), SQLBind(now))
                .ignoringConflicts(with: ["ticket_id", "person_id"]).run()
        }
    }

    /// Stops `personID` watching `ticketID`.
    public func unwatch(_ ticketID: UUID, personID: UUID) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "ticket_watchers")
                .where("ticket_id", .equal, SQLBind(ticketID)).where("person_id", .equal, SQLBind(personID)).run()
        }
    }

    /// Inside a ticket write: notifies the watchers of each changed ticket of what others did, and queues
    /// the mail of those who want it. A new ticket has no watchers yet, so creations cost no query. Says
    /// whether anything was queued.
    static func notifyWatchers(
        _ writes: [TicketWriteEffects.Write],
        mail: TicketMail,
        at now: Date,
        on sql: any SQLDatabase
    ) async throws -> Bool {
        let worth = writes.filter { write in
            !write.events.contains { $0.kind == .created }
                && write.events.contains { TicketWatch.news(of: $0, on: write.ticket, actor: nil) != nil }
        }
        guard !worth.isEmpty else { return false }
        let rows = try await sql.select().columns("ticket_id", "person_id").from("ticket_watchers")
            .where("ticket_id", .in, SQLBind.group(worth.map(\.ticket.id))).all()
        guard !rows.isEmpty else { return false }
        var watchers: [UUID: Set<UUID>] = [:]
        for row in rows {
            watchers[try row.decode(column: "ticket_id", as: UUID.self), default: []]
                .insert(try row.decode(column: "person_id", as: UUID.self))
        }
        let actors = Set(worth.flatMap { $0.events.compactMap(\.actorID) })
        let names = Dictionary(
            uniqueKeysWithValues: try await DirectoryRepository.people(ids: actors, on: sql as! any Database)
                .map { ($0.id, $0.name) }
        )
        let notifications = worth.flatMap { write in
            TicketWatch.notifications(
                for: write.events,
                on: write.ticket,
                watchers: watchers[write.ticket.id] ?? [],
                names: names,
                at: now
            )
        }
        guard !notifications.isEmpty else { return false }
        try await NotificationRepository.insert(notifications, on: sql)
        let severities = Dictionary(uniqueKeysWithValues: worth.map { ($0.ticket.id, $0.ticket.severity) })
        let leaving = try await NotificationOutbox(mail: mail)
            .messages(for: notifications, severities: severities, at: now, on: sql)
        try await OutboxRepository.insert(leaving, on: sql)
        return !leaving.isEmpty
    }
}
