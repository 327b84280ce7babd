import Foundation

/// An update as each subscriber channel expects it: a JSON webhook body, a Slack-compatible incoming-webhook
/// message, or a Microsoft Teams Adaptive Card message. Only public text goes out: the incident's public
/// title, its state and severity, the affected services' names and the update's message.
public struct IncidentBroadcast: Sendable, Equatable {
    public var reference: String
    public var publicTitle: String
    public var severity: Severity
    public var state: MajorIncident.State
    public var services: [String]
    public var update: IncidentUpdate
    /// The status page's address, linked from every message.
    public var statusURL: String
    /// The zone times are written in (the desk's home zone).
    public var timeZone: TimeZone

    public init(
        incident: MajorIncident,
        update: IncidentUpdate,
        services: [String],
        statusURL: String,
        timeZone: TimeZone
    ) {
        self.timeZone = timeZone
        reference = incident.reference
        publicTitle = incident.publicTitle
        severity = incident.severity
        state = update.state
        self.services = services
        self.update = update
        self.statusURL = statusURL
    }

    /// The plain-text summary line: `[Investigating] Scanner outage (MES)`.
    public var headline: String {
        let label = Self.label(state)
        let affected = services.isEmpty ? "" : " (\(services.joined(separator: ", ")))"
        return "[\(label)] \(publicTitle)\(affected)"
    }

    /// The state as a reader reads it.
    public static func label(_ state: MajorIncident.State) -> String {
        switch state {
        case .investigating: "Investigating"
        case .identified: "Identified"
        case .monitoring: "Monitoring"
        case .resolved: "Resolved"
        case .closed: "Closed"
        }
    }

    /// `2026-12-04 15:00 CET`: an instant as people in the home zone read it.
    public func local(_ instant: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: instant)
    }

    /// The body for a subscriber of `kind` (mail is sent as ``mailText``).
    public func body(for kind: IncidentSubscriber.Kind) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        switch kind {
        case .email, .webhook: return try encoder.encode(webhookBody)
        case .slack: return try encoder.encode(slackMessage)
        case .teams: return try encoder.encode(teamsMessage)
        }
    }

    /// The mail text of the update.
    public var mailText: String {
        var lines = [headline, "", update.message, ""]
        if let next = update.nextUpdateDue {
            lines.append("Next update by \(local(next)).")
        }
        lines.append("Status page: \(statusURL)")
        return lines.joined(separator: "\n")
    }

    // MARK: Webhook

    public struct WebhookBody: Codable, Equatable, Sendable {
        public struct Incident: Codable, Equatable, Sendable {
            public var reference: String
            public var title: String
            public var severity: String
            public var state: String
            public var services: [String]
        }
        public struct Update: Codable, Equatable, Sendable {
            public var id: UUID
            public var at: Date
            public var message: String
            public var noChange: Bool
            public var nextUpdateDue: Date?
        }
        public var event: String
        public var incident: Incident
        public var update: Update
        public var statusPage: String
    }

    var webhookBody: WebhookBody {
        WebhookBody(
            event: "incident.update",
            incident: WebhookBody.Incident(
                reference: reference,
                title: publicTitle,
                severity: severity.rawValue,
                state: state.rawValue,
                services: services
            ),
            update: WebhookBody.Update(
                id: update.id,
                at: update.at,
                message: update.message,
                noChange: update.noChange,
                nextUpdateDue: update.nextUpdateDue
            ),
            statusPage: statusURL
        )
    }

    // MARK: Slack

    /// Slack's incoming-webhook message: `text` as the notification fallback, and Block Kit blocks.
    public struct SlackMessage: Codable, Equatable, Sendable {
        public struct Text: Codable, Equatable, Sendable {
            public var type: String
            public var text: String
        }
        public struct Block: Codable, Equatable, Sendable {
            public var type: String
            public var text: Text?
            public var elements: [Text]?
        }
        public var text: String
        public var blocks: [Block]
    }

    /// A Slack-compatible incoming-webhook body of one plain text: `{"text": …}`, markup escaped.
    public static func slackText(_ text: String) throws -> Data {
        try JSONEncoder().encode(["text": slackEscaped(text)])
    }

    /// Escapes the three characters Slack's mrkdwn reads as markup.
    public static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    var slackMessage: SlackMessage {
        let next = update.nextUpdateDue.map { " · next update by \(local($0))" } ?? ""
        return SlackMessage(
            text: Self.slackEscaped(headline),
            blocks: [
                .init(
                    type: "header",
                    text: .init(type: "plain_text", text: String(headline.prefix(150))),
                    elements: nil
                ),
                .init(
                    type: "section",
                    text: .init(type: "mrkdwn", text: String(Self.slackEscaped(update.message).prefix(3000))),
                    elements: nil
                ),
                .init(
                    type: "context",
                    elements: [
                        .init(
                            type: "mrkdwn",
                            text: Self.slackEscaped("\(reference) · \(severity.rawValue)\(next)")
                                + " · <\(statusURL)|status page>"
                        )
                    ]
                ),
            ]
        )
    }

    // MARK: Teams

    /// A Teams incoming-webhook message carrying one Adaptive Card.
    public struct TeamsMessage: Codable, Equatable, Sendable {
        public struct Attachment: Codable, Equatable, Sendable {
            public var contentType: String
            public var content: Card
        }
        public struct Card: Codable, Equatable, Sendable {
            public var schema: String
            public var type: String
            public var version: String
            public var body: [Element]
            public var actions: [Action]
            enum CodingKeys: String, CodingKey {
                case schema = "$schema", type, version, body, actions
            }
        }
        public struct Element: Codable, Equatable, Sendable {
            public var type: String
            public var text: String?
            public var weight: String?
            public var size: String?
            public var wrap: Bool?
            public var facts: [Fact]?
        }
        public struct Fact: Codable, Equatable, Sendable {
            public var title: String
            public var value: String
        }
        public struct Action: Codable, Equatable, Sendable {
            public var type: String
            public var title: String
            public var url: String
        }
        public var type: String
        public var attachments: [Attachment]
    }

    /// A Teams message carrying one text (a shared review), with the status page linked.
    public static func teamsBody(text: String, statusURL: String) throws -> Data {
        let card = TeamsMessage.Card(
            schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [.init(type: "TextBlock", text: text, weight: nil, size: nil, wrap: true, facts: nil)],
            actions: [.init(type: "Action.OpenUrl", title: "Status page", url: statusURL)]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(
            TeamsMessage(
                type: "message",
                attachments: [.init(contentType: "application/vnd.microsoft.card.adaptive", content: card)]
            )
        )
    }

    var teamsMessage: TeamsMessage {
        var facts = [
            TeamsMessage.Fact(title: "Incident", value: reference),
            TeamsMessage.Fact(title: "Severity", value: severity.rawValue),
            TeamsMessage.Fact(title: "State", value: Self.label(state)),
        ]
        if !services.isEmpty { facts.append(.init(title: "Services", value: services.joined(separator: ", "))) }
        if let next = update.nextUpdateDue { facts.append(.init(title: "Next update", value: local(next))) }
        let card = TeamsMessage.Card(
            schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [
                .init(type: "TextBlock", text: headline, weight: "Bolder", size: "Medium", wrap: true, facts: nil),
                .init(type: "TextBlock", text: update.message, weight: nil, size: nil, wrap: true, facts: nil),
                .init(type: "FactSet", text: nil, weight: nil, size: nil, wrap: nil, facts: facts),
            ],
            actions: [.init(type: "Action.OpenUrl", title: "Status page", url: statusURL)]
        )
        return TeamsMessage(
            type: "message",
            attachments: [.init(contentType: "application/vnd.microsoft.card.adaptive", content: card)]
        )
    }
}
