import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// Delivers the outbox. A pass claims a few due messages with a lease, sends them side by side and
/// records each outcome; failures wait with exponential backoff and end dead after the policy's last
/// attempt. Queued messages in this instance wake it. A claim is exclusive, and only its holder records
/// the outcome, so several instances may run it.
struct OutboxJob: DueJob {
    let desk: OutboxDesk
    let mail: MailConfiguration?
    /// Stamps the signatures of webhooks and pages.
    let clock: any TierdeskCore.Clock
    /// How long a claim lasts; longer than any one delivery may take (SMTP replies time out after 30 s).
    let lease: TimeInterval
    let policy: OutboxRetryPolicy
    /// Posts webhooks and HTTP pages.
    let webhookClient: WebhookClient
    let logger: Logger

    var name: String { "Outbox delivery" }
    var longestSleep: Duration { .seconds(30) }
    /// Messages claimed at once.
    static let batch = 8

    /// Closes the outbound HTTP connections.
    func stop() async {
        await webhookClient.http.shutdown()
    }

    func runDue(at now: Date) async throws -> NextRun {
        let channels = Self.channels(mail: mail)
        let claim = try await desk.claim(limit: Self.batch, at: now, lease: lease, channels: channels)
        // Read once for the batch; it exists from the first start on.
        let pagingSecret =
            claim.messages.contains { $0.channel == .page || $0.channel == .announcement }
            ? try await desk.pagingSecret() : nil
        await withTaskGroup(of: Void.self) { group in
            for message in claim.messages {
                group.addTask { await deliver(message, claim: claim.token, pagingSecret: pagingSecret) }
            }
        }
        if claim.messages.count == Self.batch { return .immediately }
        return try await desk.nextAttemptAt(channels: channels).map(NextRun.at) ?? .idle
    }

    /// The channels this instance can deliver (webhooks and HTTP pages always; mail with a relay); the
    /// others are left to instances that can.
    static func channels(mail: MailConfiguration?) -> Set<OutboxMessage.Channel> {
        mail == nil ? [.webhook, .page, .announcement] : [.mail, .webhook, .page, .announcement]
    }

    private func deliver(_ message: OutboxMessage, claim token: UUID, pagingSecret: String?) async {
        let metadata: Logger.Metadata = [
            "outboxId": "\(message.id)", "key": "\(message.key)", "attempt": "\(message.attempts)",
        ]
        do {
            try await transport(message, pagingSecret: pagingSecret)
            if try await desk.delivered(message, claim: token) {
                logger.info("Outbox message delivered", metadata: metadata)
            } else {
                logger.warning("Outbox message delivered after its claim expired", metadata: metadata)
            }
        } catch {
            let failure = error as? DeliveryFailure ?? .temporary(String(describing: error))
            do {
                let status = try await desk.failed(message, claim: token, failure: failure, policy: policy)
                logger.warning(
                    status == .dead ? "Outbox message is dead" : "Outbox delivery failed; will retry",
                    metadata: metadata.merging(["error": "\(failure.message)"]) { $1 }
                )
            } catch {
                logger.error(
                    "Outbox outcome not recorded; the claim will expire",
                    metadata: metadata.merging(["error": "\(error)"]) { $1 }
                )
            }
        }
    }

    private func transport(_ message: OutboxMessage, pagingSecret: String?) async throws(DeliveryFailure) {
        switch message.channel {
        case .mail:
            guard let mail else { throw .temporary("no SMTP relay is configured") }
            guard let outgoing = try? JSONDecoder().decode(OutgoingMail.self, from: message.payload) else {
                throw .permanent("the queued mail cannot be read")
            }
            try await SMTPClient(configuration: mail.smtp)
                .send(from: mail.identity.address, to: outgoing.to.map(\.address), message: outgoing.render())
        case .webhook:
            guard let delivery = try? JSONDecoder().decode(WebhookDelivery.self, from: message.payload) else {
                throw .permanent("the queued webhook cannot be read")
            }
            let live: (WebhookSubscription, String)?
            do { live = try await desk.liveWebhook(delivery.subscriptionId) } catch {
                throw .temporary("the subscription could not be read: \(error)")
            }
            guard let (subscription, secret) = live else { throw .permanent("the subscription was revoked") }
            try await webhookClient.post(
                url: delivery.url,
                body: delivery.body,
                key: message.key,
                secret: secret,
                allowPrivateTargets: subscription.allowPrivateTargets,
                at: clock.now()
            )
        case .page, .announcement:
            guard let request = try? JSONDecoder().decode(PageRequest.self, from: message.payload) else {
                throw .permanent("the queued \(message.channel.rawValue) cannot be read")
            }
            guard let secret = pagingSecret else { throw .temporary("no paging secret is set") }
            try await webhookClient.post(
                url: request.url,
                body: request.body,
                key: message.key,
                secret: secret,
                allowPrivateTargets: request.allowPrivateTargets,
                at: clock.now()
            )
        }
    }
}
