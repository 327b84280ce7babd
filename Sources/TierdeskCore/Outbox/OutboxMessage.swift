import Foundation

/// One outgoing message (a mail, a webhook call, a page), written in the transaction of the change that
/// caused it and delivered afterwards. The idempotency key makes it unique: the same key is never queued twice.
public struct OutboxMessage: Sendable, Equatable, Identifiable {
    /// How a message leaves.
    public enum Channel: String, Sendable, Codable, CaseIterable {
        /// A mail through the SMTP relay.
        case mail
        /// A signed POST to a webhook subscription.
        case webhook
        /// A signed POST of a page to a person's webhook or to the SMS/voice gateway.
        case page
        /// A signed POST of a major incident's update to a subscriber's webhook or chat channel.
        case announcement
    }

    /// Where a message is in its life.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for its first or next attempt.
        case pending
        /// Claimed by a sender until its lease ends.
        case sending
        /// The receiver took it.
        case delivered
        /// Given up after too many attempts or a permanent refusal; an admin may retry it.
        case dead
        /// Not sent because it was no longer wanted (a page acknowledged before its message left).
        case cancelled
    }

    public var id: UUID
    public var key: String
    public var channel: Channel
    /// The mail address or URL, for admins and for limits per recipient.
    public var recipient: String
    /// Written by no person (acknowledgements, notifications); counted for the auto-reply limit.
    public var automatic: Bool
    /// The channel's message: an ``OutgoingMail`` or a webhook request, as JSON.
    public var payload: Data
    public var ticketID: UUID?
    /// The page it notifies of, if any; acknowledging the page cancels it while still pending.
    public var pageID: UUID?
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: UUID = .timeOrdered(),
        key: String,
        channel: Channel,
        recipient: String,
        automatic: Bool,
        payload: Data,
        ticketID: UUID?,
        pageID: UUID? = nil,
        status: Status = .pending,
        attempts: Int = 0,
        nextAttemptAt: Date,
        lastError: String? = nil,
        createdAt: Date,
        deliveredAt: Date? = nil
    ) {
        self.id = id
        self.key = key
        self.channel = channel
        self.recipient = recipient
        self.automatic = automatic
        self.payload = payload
        self.ticketID = ticketID
        self.pageID = pageID
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    /// A mail, queued for now.
    public static func mail(
        _ mail: OutgoingMail,
        key: String,
        automatic: Bool,
        ticketID: UUID?,
        pageID: UUID? = nil,
        at now: Date
    ) throws -> OutboxMessage {
        OutboxMessage(
            key: key,
            channel: .mail,
            recipient: mail.to.map { Person.normalisedEmail($0.address) }.joined(separator: ","),
            automatic: automatic,
            payload: try JSONEncoder().encode(mail),
            ticketID: ticketID,
            pageID: pageID,
            nextAttemptAt: now,
            createdAt: now
        )
    }
}

/// Why a delivery attempt failed.
public enum DeliveryFailure: Error, Sendable, Equatable {
    /// Worth another attempt later (a timeout, a 4xx SMTP reply, an HTTP 5xx).
    case temporary(String)
    /// Never going to work (a 5xx SMTP reply, an HTTP 4xx, an unreadable payload).
    case permanent(String)

    public var message: String {
        switch self {
        case .temporary(let text), .permanent(let text): text
        }
    }
}

/// When to try again: exponential backoff from `base`, capped at `cap`, dead after `maxAttempts`.
public struct OutboxRetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(maxAttempts: Int = 10, base: TimeInterval = 30, cap: TimeInterval = 3600) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
    }

    /// The next attempt after `attempts` failed ones, or nil when the message is dead.
    public func nextAttempt(after failure: DeliveryFailure, attempts: Int, at now: Date) -> Date? {
        guard case .temporary = failure, attempts < maxAttempts else { return nil }
        let delay = min(cap, base * pow(2, Double(max(0, attempts - 1))))
        return now.addingTimeInterval(delay)
    }
}
