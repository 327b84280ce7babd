import Foundation
import TierdeskCore

/// An integration as the API shows it; the token only once, on creation.
struct IntegrationDTO: Codable, Sendable {
    var id: UUID
    var kind: Integration.Kind
    var name: String
    var createdAt: String
    var revokedAt: String?
    var token: String?

    init(_ integration: Integration, token: String? = nil) {
        id = integration.id
        kind = integration.kind
        name = integration.name
        createdAt = Timestamp.format(integration.createdAt)
        revokedAt = integration.revokedAt.map(Timestamp.format)
        self.token = token
    }
}

struct NewIntegrationDTO: Decodable, Sendable {
    var kind: Integration.Kind
    var name: String
}

/// An outbox message for admins: what it is, where it goes, how its delivery went.
struct OutboxMessageDTO: Codable, Sendable {
    var id: UUID
    var key: String
    var channel: OutboxMessage.Channel
    var recipient: String
    var subject: String?
    var ticket: String?
    var automatic: Bool
    var status: OutboxMessage.Status
    var attempts: Int
    var nextAttemptAt: String
    var lastError: String?
    var createdAt: String
    var deliveredAt: String?

    init(_ message: OutboxMessage) {
        id = message.id
        key = message.key
        channel = message.channel
        recipient = message.recipient
        let mail = message.channel == .mail ? try? JSONDecoder().decode(OutgoingMail.self, from: message.payload) : nil
        subject = mail?.subject
        ticket = mail?.ticketNumber.map(TicketReference.format)
        automatic = message.automatic
        status = message.status
        attempts = message.attempts
        nextAttemptAt = Timestamp.format(message.nextAttemptAt)
        lastError = message.lastError
        createdAt = Timestamp.format(message.createdAt)
        deliveredAt = message.deliveredAt.map(Timestamp.format)
    }
}

/// The chat intake settings as admins read them: whether each secret is set, never the secret.
struct ChatSettingsDTO: Codable {
    struct Account: Codable {
        var platform: ChatIntakeSettings.Platform
        var userId: String
        var personId: UUID
    }
    var slackSigningSecretSet: Bool
    var mattermostTokenSet: Bool
    var accounts: [Account]

    init(_ settings: ChatIntakeSettings) {
        slackSigningSecretSet = settings.slackSigningSecret != nil
        mattermostTokenSet = settings.mattermostToken != nil
        accounts = settings.accounts.map { Account(platform: $0.platform, userId: $0.userId, personId: $0.personId) }
    }
}
