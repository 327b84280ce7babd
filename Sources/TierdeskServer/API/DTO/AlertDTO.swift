import Foundation
import TierdeskCore
import TierdeskStore

/// What one alert of a webhook did.
struct AlertOutcomeDTO: Codable, Sendable {
    var key: String
    var outcome: AlertRepository.Outcome.Kind
    var ticket: String?
    var reason: String?

    init(_ outcome: AlertRepository.Outcome) {
        key = outcome.key
        self.outcome = outcome.kind
        ticket = outcome.ticketNumber.map(TicketReference.format)
        reason = outcome.reason
    }
}

/// The answer to an Alertmanager or Grafana webhook: one outcome per alert, in the order sent.
struct AlertWebhookResultDTO: Codable, Sendable {
    var alerts: [AlertOutcomeDTO]
}

/// The answer to a generic event, shaped like the Events API v2's, with what Tierdesk did.
struct AlertEventResultDTO: Codable, Sendable {
    var status = "success"
    var message = "Event processed"
    var dedupKey: String
    var outcome: AlertRepository.Outcome.Kind
    var ticket: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case status, message, outcome, ticket, reason
        case dedupKey = "dedup_key"
    }
}

/// An alert key as staff see it: its ticket, episode and counts.
struct AlertDTO: Codable, Sendable {
    var source: Integration.Kind
    var key: String
    var status: AlertState.Status
    var ticket: String?
    var summary: String
    var count: Int
    var firstSeen: String
    var lastSeen: String
    var startedAt: String?
    var resolvedAt: String?

    init(_ state: AlertState) {
        source = state.source
        key = state.key
        status = state.status
        ticket = state.ticketNumber.map(TicketReference.format)
        summary = state.summary
        count = state.count
        firstSeen = Timestamp.format(state.firstSeen)
        lastSeen = Timestamp.format(state.lastSeen)
        startedAt = state.startedAt.map(Timestamp.format)
        resolvedAt = state.resolvedAt.map(Timestamp.format)
    }
}
