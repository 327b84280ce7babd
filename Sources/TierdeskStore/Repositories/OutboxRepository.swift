import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// The outbox: messages are inserted in the transaction of the change that causes them, then claimed by
/// a sender with a lease, and marked delivered or failed. A claim is exclusive (`FOR UPDATE SKIP LOCKED`
/// on PostgreSQL, the one writer on SQLite), and the lease token makes sure only the claimer records the
/// outcome; a sender that dies leaves its claim to expire, and the message is sent again with the same
/// idempotency key and Message-ID.
public struct OutboxRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    static let columns = [
        "id", "key", "channel", "recipient", "automatic", "payload", "ticket_id", "page_id", "status", "attempts",
        "next_attempt_at", "last_error", "created_at", "delivered_at",
    ]

    /// Queues messages inside a write; a key queued before is skipped, so replays queue nothing twice.
    static func insert(_ messages: [OutboxMessage], on sql: any SQLDatabase) async throws {
        guard !messages.isEmpty else { return }
        let insert = sql.insert(into: "outbox").columns(columns)
        for m in messages {
            insert.values(
                SQLBind(m.id),
                SQLBind(m.key),
                SQLBind(m.channel.rawValue),
                SQLBind(m.recipient),
                SQLBind(m.automatic),
                SQLBind(m.payload),
                SQLBind(m.ticketID),
                SQLBind(m.pageID),
                SQLBind(m.status.rawValue),
                SQLBind(m.attempts),
                SQLBind(m.nextAttemptAt),
                SQLBind(m.lastError),
                SQLBind(m.createdAt),
                SQLBind(m.deliveredAt)
            )
        }
        try await insert.ignoringConflicts(with: "key").run()
    }

    /// Queues messages on their own, for messages no ticket write causes (report digests, checklist alerts);
    /// a key queued before is skipped, so each message is queued once however often it is asked for.
    public func enqueue(_ messages: [OutboxMessage]) async throws {
        try await database.write { db in try await Self.insert(messages, on: db as! any SQLDatabase) }
    }

    /// A claim on messages: only its holder may record their outcome.
    public struct Claim: Sendable {
        public var token: UUID
        public var messages: [OutboxMessage]
    }

    /// Claims up to `limit` messages of `channels` that are due, or whose previous claim has expired, until
    /// `now + lease`. A sender claims only what it can deliver.
    public func claim(
        limit: Int,
        at now: Date,
        lease: TimeInterval,
        channels: Set<OutboxMessage.Channel> = Set(OutboxMessage.Channel.allCases)
    ) async throws -> Claim {
        guard !channels.isEmpty else { return Claim(token: UUID(), messages: []) }
        let token = UUID()
        let messages = try await database.write { db in
            let sql = db as! any SQLDatabase
            let lock = sql.engine.skipLockedClause
            let returning = Self.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let query: SQLQueryString = """
                UPDATE "outbox" SET "status" = 'sending', "attempts" = "attempts" + 1, "lease_until" = \(bind: now.addingTimeInterval(lease)), "lease_token" = \(bind: token)
                WHERE "id" IN (SELECT "id" FROM "outbox"
                    WHERE "channel" IN \(Self.list(channels))
                      AND (("status" = 'pending' AND "next_attempt_at" <= \(bind: now)) OR ("status" = 'sending' AND "lease_until" < \(bind: now)))
                    ORDER BY "next_attempt_at" LIMIT \(bind: limit)\(unsafeRaw: lock))
                RETURNING \(unsafeRaw: returning)
                """
            return try await sql.raw(query).all().map(Self.message)
        }
        return Claim(token: token, messages: messages.sorted { $0.createdAt < $1.createdAt })
    }

    /// Records a delivery; false if the claim was lost (expired and taken by another sender).
    @discardableResult
    public func markDelivered(_ id: UUID, claim token: UUID, at now: Date) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("outbox")
                .set("status", to: OutboxMessage.Status.delivered.rawValue).set("delivered_at", to: SQLBind(now))
                .set("lease_until", to: SQLLiteral.null).set("lease_token", to: SQLLiteral.null)
                .set("last_error", to: SQLLiteral.null)
                .where("id", .equal, id).where("lease_token", .equal, token)
                .where("status", .equal, OutboxMessage.Status.sending.rawValue)
                .returning("id").all().count == 1
        }
    }

    /// Records a failed attempt: the message waits for its next attempt, or is dead.
    @discardableResult
    public func markFailed(
        _ message: OutboxMessage,
        claim token: UUID,
        failure: DeliveryFailure,
        policy: OutboxRetryPolicy,
        at now: Date
    ) async throws -> OutboxMessage.Status {
        let next = policy.nextAttempt(after: failure, attempts: message.attempts, at: now)
        let status: OutboxMessage.Status = next == nil ? .dead : .pending
        try await database.write { db in
            try await (db as! any SQLDatabase).update("outbox")
                .set("status", to: status.rawValue).set("next_attempt_at", to: SQLBind(next ?? now))
                .set("lease_until", to: SQLLiteral.null).set("lease_token", to: SQLLiteral.null)
                .set("last_error", to: SQLBind(String(failure.message.prefix(1000))))
                .where("id", .equal, message.id).where("lease_token", .equal, token).run()
        }
        return status
    }

    /// Messages in one status, newest first.
    public func list(status: OutboxMessage.Status?, limit: Int = 100) async throws -> [OutboxMessage] {
        let select = database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("outbox")
        if let status { select.where("status", .equal, status.rawValue) }
        return try await select.orderBy("created_at", .descending).orderBy("id").limit(limit).all().map(Self.message)
    }

    /// One message; for tests, which follow a message through its states.
    func find(_ id: UUID) async throws -> OutboxMessage? {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("outbox")
            .where("id", .equal, id).first().map(Self.message)
    }

    /// Sends a dead message again from its first attempt; nil if there is no dead message with this id.
    public func retry(_ id: UUID, at now: Date) async throws -> OutboxMessage? {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("outbox")
                .set("status", to: OutboxMessage.Status.pending.rawValue).set("attempts", to: 0)
                .set("next_attempt_at", to: SQLBind(now))
                .where("id", .equal, id).where("status", .equal, OutboxMessage.Status.dead.rawValue)
                .returning(Self.columns.map { SQLColumn($0) }).first().map(Self.message)
        }
    }

    /// Automatic messages sent to an address since `since`, for the auto-reply limit.
    public func automaticCount(to recipient: String, since: Date) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("outbox")
            .where("recipient", .equal, Person.normalisedEmail(recipient)).where("automatic", .equal, true)
            .where("created_at", .greaterThanOrEqual, SQLBind(since))
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// When the next message of `channels` falls due: a waiting one's next attempt, or the end of a claim
    /// that may have been abandoned. A sender asks only about what it can deliver, so mail it cannot send
    /// never makes it wake at once, again and again.
    public func nextAttemptAt(channels: Set<OutboxMessage.Channel> = Set(OutboxMessage.Channel.allCases)) async throws
        -> Date?
    {
        guard !channels.isEmpty else { return nil }
        let query: SQLQueryString = """
            SELECT MIN(CASE WHEN "status" = 'pending' THEN "next_attempt_at" ELSE "lease_until" END) AS "next" FROM "outbox"
            WHERE "status" IN ('pending', 'sending') AND "channel" IN \(Self.list(channels))
            """
        return try await database.sql.raw(query).first(decodingColumn: "next", as: Date?.self) ?? nil
    }

    /// Channels as a bound list for `IN`.
    private static func list(_ channels: Set<OutboxMessage.Channel>) -> any SQLExpression {
        SQLBind.group(channels.map(\.rawValue).sorted())
    }

    static func message(_ row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.decode(column: "id", as: UUID.self),
            key: try row.decode(column: "key", as: String.self),
            channel: OutboxMessage.Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .mail,
            recipient: try row.decode(column: "recipient", as: String.self),
            automatic: try row.decode(column: "automatic", as: Bool.self),
            payload: try row.decode(column: "payload", as: Data.self),
            ticketID: try row.decode(column: "ticket_id", as: UUID?.self),
            pageID: try row.decode(column: "page_id", as: UUID?.self),
            status: OutboxMessage.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            deliveredAt: try row.decode(column: "delivered_at", as: Date?.self)
        )
    }
}
