import Foundation
import TierdeskCore

/// The triage rules page: the rules in order, in words, and the builder.
struct TriageRulesView {
    var title = "Triage rules"
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var rules: [TriageRuleRowView]
    var hasRules: Bool
    var form: TriageRuleFormView
    /// What the rule in the builder would do to a ticket, when tried.
    var preview: TriagePreviewView?
}

struct TriageRuleRowView {
    var index: Int
    var number: Int
    var name: String
    var enabled: Bool
    var when: String
    var then: String
    var canMoveUp: Bool
}

struct TriagePreviewView {
    var reference: String
    var matched: Bool
    var changes: [String]
}

/// The builder's fields as choices.
struct TriageRuleFormView {
    var index: String
    var heading: String
    var name: String
    var enabled: Bool
    var services: [CheckView]
    var types: [CheckView]
    var channels: [CheckView]
    var triggers: [CheckView]
    var text: String
    var attributes: [AttributeRowView]
    var impact: [OptionView]
    var urgency: [OptionView]
    var severity: [OptionView]
    var tier: [OptionView]
    var groups: [OptionView]
    var knownError: String
    var tag: String
    var autoReply: String
    var runbook: String
    var testTicket: String

    struct AttributeRowView {
        var row: Int
        var name: String
        var ops: [OptionView]
        var value: String
    }

    init(_ form: TriageRuleForm, services: [Service], groups: [SupportGroup]) {
        index = form.index ?? ""
        heading = (form.index ?? "").isEmpty ? "New rule" : "Change rule \((Int(form.index ?? "") ?? 0) + 1)"
        name = form.name
        enabled = form.enabled == "1"
        func checks(_ all: [(String, String)], _ chosen: [String]?) -> [CheckView] {
            let chosen = Set(chosen ?? [])
            return all.map { CheckView(value: $0.0, label: $0.1, checked: chosen.contains($0.0)) }
        }
        self.services = checks(services.map { ($0.id.uuidString, $0.name) }, form.services)
        types = checks(
            TicketType.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) },
            form.types
        )
        channels = checks(Channel.allCases.map { ($0.rawValue, $0.rawValue) }, form.channels)
        triggers = checks([("create", "when a ticket is opened"), ("update", "when a ticket changes")], form.on)
        text = form.text ?? ""
        let names = form.attributeName ?? []
        attributes = (0..<TriageRuleForm.attributeRows)
            .map { row in
                let op = (form.attributeOp ?? []).indices.contains(row) ? form.attributeOp![row] : ""
                return AttributeRowView(
                    row: row + 1,
                    name: names.indices.contains(row) ? names[row] : "",
                    ops: TriageRule.AttributeTest.Operator.allCases.map {
                        OptionView(value: $0.rawValue, label: TriageRuleWords.op($0), selected: $0.rawValue == op)
                    },
                    value: (form.attributeValue ?? []).indices.contains(row) ? form.attributeValue![row] : ""
                )
            }
        func options(_ values: [String], _ chosen: String?) -> [OptionView] {
            [OptionView(value: "", label: "leave it", selected: (chosen ?? "").isEmpty)]
                + values.map { OptionView(value: $0, label: $0, selected: $0 == chosen) }
        }
        impact = options(Level.allCases.map(\.rawValue), form.impact)
        urgency = options(Level.allCases.map(\.rawValue), form.urgency)
        severity = options(Severity.allCases.map(\.rawValue), form.severity)
        tier = options([Tier.l1, .l2, .l3].map(\.rawValue), form.tier)
        self.groups = options(groups.map(\.name), form.group)
        knownError = form.knownError ?? ""
        tag = form.tag ?? ""
        autoReply = form.autoReply ?? ""
        runbook = form.runbook ?? ""
        testTicket = form.testTicket ?? ""
    }
}

/// Triage rules and what they did, in words.
enum TriageRuleWords {
    static func op(_ op: TriageRule.AttributeTest.Operator) -> String {
        switch op {
        case .eq: "="
        case .ne: "≠"
        case .lt: "<"
        case .le: "≤"
        case .gt: ">"
        case .ge: "≥"
        case .present: "is present"
        }
    }

    static func conditions(_ when: TriageRule.Conditions, services: [UUID: String]) -> String {
        var parts: [String] = []
        switch when.on ?? [] {
        case [.create]: parts.append("when opened")
        case [.update]: parts.append("when changed")
        default: parts.append("when opened or changed")
        }
        if let ids = when.services {
            parts.append("service " + ids.map { services[$0] ?? "?" }.joined(separator: " or "))
        }
        if let types = when.types { parts.append("type " + types.map(\.rawValue).joined(separator: " or ")) }
        if let channels = when.channels { parts.append("via " + channels.map(\.rawValue).joined(separator: " or ")) }
        if let text = when.text { parts.append("text has " + text.map { "“\($0)”" }.joined(separator: " or ")) }
        for test in when.attributes ?? [] {
            parts.append(
                test.op == .present
                    ? "\(test.name) is present"
                    : "\(test.name) \(op(test.op)) \(test.value.map(TriageRuleForm.number) ?? "")"
            )
        }
        return parts.joined(separator: ", ")
    }

    static func actions(_ then: TriageRule.Actions) -> String {
        var parts: [String] = []
        if let impact = then.impact { parts.append("impact \(impact.rawValue)") }
        if let urgency = then.urgency { parts.append("urgency \(urgency.rawValue)") }
        if let severity = then.severity { parts.append(severity.rawValue) }
        if let tier = then.tier { parts.append("start on \(tier.rawValue)") }
        if let group = then.group { parts.append("group \(group)") }
        if let article = then.knownError { parts.append("link \(article)") }
        if let tag = then.tag { parts.append("tag \(tag)") }
        if then.autoReply != nil { parts.append("automatic reply") }
        if then.runbook != nil { parts.append("runbook note") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    /// One event a rule would write, in words.
    static func change(_ event: TicketEvent) -> String {
        switch event.kind {
        case .knownErrorApplied: "links \(event.after ?? "the article")"
        case .internalNote: "adds the runbook as an internal note"
        case .publicReply: "replies to the requester automatically"
        default: "\(event.field ?? "field"): \(event.before ?? "none") → \(event.after ?? "none")"
        }
    }
}
