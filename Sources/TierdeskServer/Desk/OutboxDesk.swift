import Foundation
import TierdeskCore
import TierdeskStore

/// Delivering the outbox: claims of due messages with a lease, their outcomes, and the secrets that sign
/// webhooks and HTTP pages. The outbox job is its only caller.
struct OutboxDesk: Sendable {
    let clock: any Clock
    let outbox: OutboxRepository
    let webhooks: WebhookRepository
    let settings: SettingsRepository

    func claim(
        limit: Int,
        at now: Date,
        lease: TimeInterval,
        channels: Set<OutboxMessage.Channel>
    ) async throws -> OutboxRepository.Claim {
        try await outbox.claim(limit: limit, at: now, lease: lease, channels: channels)
    }

    /// When the next message on `channels` may be tried, if any.
    func nextAttemptAt(channels: Set<OutboxMessage.Channel>) async throws -> Date? {
        try await outbox.nextAttemptAt(channels: channels)
    }

    /// Records a delivery; false when the claim had expired meanwhile.
    func delivered(_ message: OutboxMessage, claim token: UUID) async throws -> Bool {
        try await outbox.markDelivered(message.id, claim: token, at: clock.now())
    }

    /// Records a failed attempt: retried later with backoff, or dead after the policy's last attempt.
    func failed(
        _ message: OutboxMessage,
        claim token: UUID,
        failure: DeliveryFailure,
        policy: OutboxRetryPolicy
    ) async throws -> OutboxMessage.Status {
        try await outbox.markFailed(message, claim: token, failure: failure, policy: policy, at: clock.now())
    }

    /// A live subscription and its signing secret; nil once revoked.
    func liveWebhook(_ id: UUID) async throws -> (WebhookSubscription, String)? {
        try await webhooks.live(id)
    }

    /// The secret that signs HTTP pages and gateway requests; set at the first start.
    func pagingSecret() async throws -> String? {
        try await settings.pagingSecret()
    }
}
