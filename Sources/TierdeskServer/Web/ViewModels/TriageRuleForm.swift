import Foundation
import TierdeskCore

/// The triage rule builder's fields: conditions and actions as choices and short texts, turned into a
/// ``TriageRule`` (and back, to edit one).
struct TriageRuleForm: Decodable {
    /// Rows of attribute tests the form offers.
    static let attributeRows = 3

    var csrf: String
    /// The rule's place in the list when changing one; empty for a new rule.
    var index: String?
    var name: String
    var enabled: String?
    var services: [String]?
    var types: [String]?
    var channels: [String]?
    var on: [String]?
    /// Phrases, one per line.
    var text: String?
    var attributeName: [String]?
    var attributeOp: [String]?
    var attributeValue: [String]?
    var impact: String?
    var urgency: String?
    var severity: String?
    var tier: String?
    var group: String?
    var knownError: String?
    var tag: String?
    var autoReply: String?
    var runbook: String?
    /// `save`, or `test` to preview it on `testTicket`.
    var action: String?
    var testTicket: String?

    enum CodingKeys: String, CodingKey {
        case csrf = "_csrf", index, name, enabled, services, types, channels, on, text, attributeName, attributeOp,
            attributeValue, impact, urgency, severity, tier, group, knownError, tag, autoReply, runbook, action,
            testTicket
    }

    init(csrf: String = "", _ rule: TriageRule? = nil, index: Int? = nil) {
        self.csrf = csrf
        self.index = index.map(String.init)
        name = rule?.name ?? ""
        enabled = rule.map { $0.enabled ? "1" : nil } ?? "1"
        services = rule?.when.services?.map(\.uuidString)
        types = rule?.when.types?.map(\.rawValue)
        channels = rule?.when.channels?.map(\.rawValue)
        on = rule?.when.on?.map(\.rawValue)
        text = rule?.when.text?.joined(separator: "\n")
        let tests = rule?.when.attributes ?? []
        attributeName = tests.map(\.name)
        attributeOp = tests.map(\.op.rawValue)
        attributeValue = tests.map { $0.value.map { Self.number($0) } ?? "" }
        impact = rule?.then.impact?.rawValue
        urgency = rule?.then.urgency?.rawValue
        severity = rule?.then.severity?.rawValue
        tier = rule?.then.tier?.rawValue
        group = rule?.then.group
        knownError = rule?.then.knownError
        tag = rule?.then.tag
        autoReply = rule?.then.autoReply
        runbook = rule?.then.runbook
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The rule the form describes; a choice that names nothing known is refused with its field.
    func rule() throws -> TriageRule {
        func list<T>(_ values: [String]?, field: String, _ parse: (String) -> T?) throws -> [T]? {
            let values = (values ?? []).filter { !$0.isEmpty }
            guard !values.isEmpty else { return nil }
            return try values.map {
                guard let value = parse($0) else { throw TierdeskError.invalid(field: field, "choose from the list") }
                return value
            }
        }
        func one<T>(_ value: String?, field: String, _ parse: (String) -> T?) throws -> T? {
            try list(value.map { [$0] }, field: field, parse)?.first
        }
        func words(_ value: String?) -> String? {
            let trimmed = value?.trimmingWhitespace() ?? ""
            return trimmed.isEmpty ? nil : trimmed
        }
        var tests: [TriageRule.AttributeTest] = []
        let names = attributeName ?? []
        for (row, name) in names.enumerated() where !name.trimmingWhitespace().isEmpty {
            let opText = (attributeOp ?? []).indices.contains(row) ? attributeOp![row] : ""
            guard let op = TriageRule.AttributeTest.Operator(rawValue: opText) else {
                throw TierdeskError.invalid(field: "attributes", "choose a comparison for \(name.prefix(60))")
            }
            let valueText =
                (attributeValue ?? []).indices.contains(row) ? attributeValue![row].trimmingWhitespace() : ""
            var value: Double?
            if op != .present {
                guard let number = Double(valueText.replacingOccurrences(of: ",", with: ".")) else {
                    throw TierdeskError.invalid(field: "attributes", "give a number to compare \(name.prefix(60)) with")
                }
                value = number
            }
            tests.append(.init(name: name.trimmingWhitespace(), op: op, value: value))
        }
        let phrases = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
        return TriageRule(
            name: name.trimmingWhitespace(),
            enabled: enabled == "1",
            when: .init(
                services: try list(services, field: "services") { UUID(uuidString: $0) },
                types: try list(types, field: "types") { TicketType(rawValue: $0) },
                channels: try list(channels, field: "channels") { Channel(rawValue: $0) },
                text: phrases.isEmpty ? nil : phrases,
                attributes: tests.isEmpty ? nil : tests,
                on: try list(on, field: "on") { TriageRule.Trigger(rawValue: $0) }
            ),
            then: .init(
                impact: try one(words(impact), field: "impact") { Level(rawValue: $0) },
                urgency: try one(words(urgency), field: "urgency") { Level(rawValue: $0) },
                severity: try one(words(severity), field: "severity") { Severity(rawValue: $0) },
                tier: try one(words(tier), field: "tier") { Tier(rawValue: $0) },
                group: words(group),
                knownError: words(knownError),
                tag: words(tag),
                autoReply: words(autoReply),
                runbook: words(runbook)
            )
        )
    }
}
