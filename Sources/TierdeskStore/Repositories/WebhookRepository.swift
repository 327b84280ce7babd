import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Webhook subscriptions, and the queueing of their messages inside ticket writes.
public struct WebhookRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    private static let columns = ["id", "url", "events", "allow_private_targets", "created_at", "revoked_at"]

    public func create(_ subscription: WebhookSubscription, secret: String) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).insert(into: "webhook_subscriptions").columns(Self.columns + ["secret"])
                .values(
                    SQLBind(subscription.id),
                    SQLBind(subscription.url),
                    SQLBind(subscription.events.map(\.rawValue).sorted().joined(separator: ",")),
                    SQLBind(subscription.allowPrivateTargets),
                    SQLBind(subscription.createdAt),
                    SQLBind(subscription.revokedAt),
                    SQLBind(secret)
                )
                .run()
        }
    }

    public func all() async throws -> [WebhookSubscription] {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("webhook_subscriptions")
            .orderBy("created_at").all().map(Self.subscription)
    }

    /// A live subscription and its signing secret.
    public func live(_ id: UUID) async throws -> (WebhookSubscription, String)? {
        guard
            let row = try await database.sql.select().columns((Self.columns + ["secret"]).map { SQLColumn($0) })
                .from("webhook_subscriptions")
                .where("id", .equal, id).where("revoked_at", .is, SQLLiteral.null).first()
        else { return nil }
        return (try Self.subscription(row), try row.decode(column: "secret", as: String.self))
    }

    /// Revokes a subscription; false if there is no live one with this id. Its queued messages die at delivery.
    public func revoke(_ id: UUID, at now: Date) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("webhook_subscriptions").set("revoked_at", to: SQLBind(now))
                .where("id", .equal, id).where("revoked_at", .is, SQLLiteral.null).returning("id").all().count == 1
        }
    }

    /// Queues, inside a ticket write, one message per live subscription and event it hears; true if any.
    static func enqueue(_ writes: [(ticket: Ticket, events: [TicketEvent])], on sql: any SQLDatabase) async throws
        -> Bool
    {
        // Notes, corrections and alarms raise no webhook: no need to read the subscriptions.
        guard writes.contains(where: { $0.events.contains { WebhookSubscription.EventType($0) != nil } }) else {
            return false
        }
        let subscriptions = try await sql.select().columns(columns.map { SQLColumn($0) }).from("webhook_subscriptions")
            .where("revoked_at", .is, SQLLiteral.null).all().map(subscription)
        guard !subscriptions.isEmpty else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var messages: [OutboxMessage] = []
        for (ticket, events) in writes {
            for event in events {
                guard let type = WebhookSubscription.EventType(event) else { continue }
                let body = try encoder.encode(WebhookPayload(type: type, event: event, ticket: ticket))
                for subscription in subscriptions where subscription.events.contains(type) {
                    let delivery = WebhookDelivery(subscriptionId: subscription.id, url: subscription.url, body: body)
                    messages.append(
                        OutboxMessage(
                            key:
                                "webhook-\(subscription.id.uuidString.lowercased())-\(event.id.uuidString.lowercased())",
                            channel: .webhook,
                            recipient: String(subscription.url.prefix(500)),
                            automatic: true,
                            payload: try encoder.encode(delivery),
                            ticketID: ticket.id,
                            nextAttemptAt: event.at,
                            createdAt: event.at
                        )
                    )
                }
            }
        }
        try await OutboxRepository.insert(messages, on: sql)
        return !messages.isEmpty
    }

    private static func subscription(_ row: any SQLRow) throws -> WebhookSubscription {
        WebhookSubscription(
            id: try row.decode(column: "id", as: UUID.self),
            url: try row.decode(column: "url", as: String.self),
            events: Set(
                try row.decode(column: "events", as: String.self).split(separator: ",")
                    .compactMap { WebhookSubscription.EventType(rawValue: String($0)) }
            ),
            allowPrivateTargets: try row.decode(column: "allow_private_targets", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            revokedAt: try row.decode(column: "revoked_at", as: Date?.self)
        )
    }
}
