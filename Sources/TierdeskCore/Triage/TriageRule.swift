import Foundation

/// A triage rule: when a ticket is opened or changed and matches every condition given, the actions run.
/// Rules are ordered; later rules see what earlier ones did. Admins edit them as JSON:
///
/// ```json
/// {"name": "Line stopped is Sev1",
///  "when": {"attributes": [{"name": "lineUtilisation", "op": "eq", "value": 0}]},
///  "then": {"impact": "high", "urgency": "high", "severity": "Sev1"}}
/// ```
public struct TriageRule: Sendable, Equatable, Codable {
    public struct Conditions: Sendable, Equatable, Codable {
        /// Any of these services.
        public var services: [UUID]?
        public var types: [TicketType]?
        public var channels: [Channel]?
        /// Any of these phrases, as whole words in a row, in the title or description (case does not matter).
        public var text: [String]?
        /// Every one of these attribute tests.
        public var attributes: [AttributeTest]?
        /// When the rule runs: on `create`, on `update`, or both (the default).
        public var on: [Trigger]?

        enum CodingKeys: String, CodingKey, CaseIterable { case services, types, channels, text, attributes, on }

        public init(
            services: [UUID]? = nil,
            types: [TicketType]? = nil,
            channels: [Channel]? = nil,
            text: [String]? = nil,
            attributes: [AttributeTest]? = nil,
            on: [Trigger]? = nil
        ) {
            self.services = services
            self.types = types
            self.channels = channels
            self.text = text
            self.attributes = attributes
            self.on = on
        }
    }

    /// A test of one attribute; numbers compare as numbers, anything else as text.
    public struct AttributeTest: Sendable, Equatable, Codable {
        public enum Operator: String, Sendable, Codable, CaseIterable {
            case eq, ne, lt, le, gt, ge, present
        }

        public var name: String
        public var op: Operator
        public var value: Double?

        public init(name: String, op: Operator, value: Double? = nil) {
            self.name = name
            self.op = op
            self.value = value
        }
    }

    public enum Trigger: String, Sendable, Codable, CaseIterable {
        case create, update
    }

    public struct Actions: Sendable, Equatable, Codable {
        public var impact: Level?
        public var urgency: Level?
        public var severity: Severity?
        /// On opening only: the tier the ticket starts on (later moves go through the escalation gates).
        public var tier: Tier?
        public var group: String?
        /// Link this article (e.g. KE-12).
        public var knownError: String?
        public var tag: String?
        /// On opening only: an automatic reply to the requester (it does not count as the first response).
        public var autoReply: String?
        /// On opening only: the runbook steps as an internal note for the agent.
        public var runbook: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case impact, urgency, severity, tier, group, knownError, tag, autoReply, runbook
        }

        public init(
            impact: Level? = nil,
            urgency: Level? = nil,
            severity: Severity? = nil,
            tier: Tier? = nil,
            group: String? = nil,
            knownError: String? = nil,
            tag: String? = nil,
            autoReply: String? = nil,
            runbook: String? = nil
        ) {
            self.impact = impact
            self.urgency = urgency
            self.severity = severity
            self.tier = tier
            self.group = group
            self.knownError = knownError
            self.tag = tag
            self.autoReply = autoReply
            self.runbook = runbook
        }
    }

    public var name: String
    public var enabled: Bool
    public var when: Conditions
    public var then: Actions

    public init(name: String, enabled: Bool = true, when: Conditions, then: Actions) {
        self.name = name
        self.enabled = enabled
        self.when = when
        self.then = then
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, enabled, when, then }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.when) { try c.superDecoder(forKey: .when).refuseUnknownKeys(Conditions.CodingKeys.self) }
        if c.contains(.then) { try c.superDecoder(forKey: .then).refuseUnknownKeys(Actions.CodingKeys.self) }
        name = try c.decode(String.self, forKey: .name)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        when = try c.decodeIfPresent(Conditions.self, forKey: .when) ?? Conditions()
        then = try c.decode(Actions.self, forKey: .then)
    }
}
