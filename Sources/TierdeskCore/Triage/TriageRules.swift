import Foundation

/// The ordered triage rules and how they apply. Pure: the same rules and ticket give the same result.
public struct TriageRules: Sendable, Equatable, Codable {
    public var rules: [TriageRule] {
        didSet { phrases = Self.compile(rules) }
    }
    /// Each rule's text phrases as words, matched against the ticket's words.
    private var phrases: [[[Substring]]]

    public init(rules: [TriageRule]) {
        self.rules = rules
        phrases = Self.compile(rules)
    }

    enum CodingKeys: String, CodingKey { case rules }

    public init(from decoder: any Decoder) throws {
        self.init(rules: try decoder.container(keyedBy: CodingKeys.self).decode([TriageRule].self, forKey: .rules))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rules, forKey: .rules)
    }

    private static func compile(_ rules: [TriageRule]) -> [[[Substring]]] {
        rules.map { ($0.when.text ?? []).map { TextWords.words(in: $0) } }
    }

    /// The default rules: a stopped line is Sev1; one blocked user while the line runs is
    /// Sev3; login trouble and unresponsive scanners go to L1 with their runbooks.
    public static let standard = TriageRules(rules: [
        TriageRule(
            name: "Production line stopped",
            when: .init(attributes: [.init(name: "lineUtilisation", op: .eq, value: 0)]),
            then: .init(impact: .high, urgency: .high, severity: .sev1, tag: "line-stopped")
        ),
        TriageRule(
            name: "One user blocked while the line runs",
            when: .init(attributes: [
                .init(name: "usersAffected", op: .le, value: 1), .init(name: "lineUtilisation", op: .gt, value: 0),
            ]),
            then: .init(impact: .low, severity: .sev3)
        ),
        TriageRule(
            name: "Cannot log in",
            when: .init(
                text: ["cannot log in", "can't log in", "cannot login", "login fails", "unknown user", "password"],
                on: [.create]
            ),
            then: .init(
                tier: .l1,
                tag: "login",
                runbook:
                    "1. Check whether the password expired; reset it if so.\n2. Check the user is in the application's directory group (e.g. MES-Operators); add them if not.\n3. Ask the user to log in again and confirm."
            )
        ),
        TriageRule(
            name: "Scanner unresponsive",
            when: .init(
                text: [
                    "scanner unresponsive", "scanner frozen", "scanner froze", "scanner freezes",
                    "scanner not responding", "scanner hangs",
                ],
                on: [.create]
            ),
            then: .init(
                tier: .l1,
                tag: "scanner",
                runbook:
                    "1. Replace the battery with a charged one and restart the scanner.\n2. Check it joined the site Wi-Fi profile; re-join if not.\n3. Scan a test barcode."
            )
        ),
    ])

    /// What the admin sent, checked: names are unique and short, tests that compare have a number, texts fit.
    public func validated() throws(ValidationFailure) -> TriageRules {
        var errors: [FieldError] = []
        var names: Set<String> = []
        if rules.count > 500 { errors.append(FieldError(field: "rules", message: "at most 500 rules")) }
        for (index, rule) in rules.enumerated() {
            let field = "rules[\(index)]"
            _ = TextLimits.line(rule.name, field: "\(field).name", maxCharacters: TextLimits.label, errors: &errors)
            if !names.insert(rule.name).inserted {
                errors.append(FieldError(field: "\(field).name", message: "is used by another rule"))
            }
            for (testIndex, test) in (rule.when.attributes ?? []).enumerated()
            where test.op != .present && test.value == nil {
                errors.append(
                    FieldError(
                        field: "\(field).when.attributes[\(testIndex)].value",
                        message: "must be a number for \(test.op.rawValue)"
                    )
                )
            }
            for (textIndex, phrase) in (rule.when.text ?? []).enumerated() {
                _ = TextLimits.line(
                    phrase,
                    field: "\(field).when.text[\(textIndex)]",
                    maxCharacters: TextLimits.label,
                    errors: &errors
                )
            }
            let then = rule.then
            if then == TriageRule.Actions() {
                errors.append(FieldError(field: "\(field).then", message: "must do something"))
            }
            if then.tier == .l4 {
                errors.append(
                    FieldError(field: "\(field).then.tier", message: "L4 is reached only by escalating to a vendor")
                )
            }
            if let group = then.group {
                _ = TextLimits.line(
                    group,
                    field: "\(field).then.group",
                    maxCharacters: TextLimits.label,
                    errors: &errors
                )
            }
            if let tag = then.tag, TicketAttributes.tag(tag) == nil {
                errors.append(FieldError(field: "\(field).then.tag", message: "must be a short label without commas"))
            }
            if let reference = then.knownError, KnownError.number(in: reference) == nil {
                errors.append(
                    FieldError(field: "\(field).then.knownError", message: "must be an article reference such as KE-12")
                )
            }
            for (value, name) in [(then.autoReply, "autoReply"), (then.runbook, "runbook")] {
                if let value { _ = TextLimits.body(value, field: "\(field).then.\(name)", errors: &errors) }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return self
    }

    /// Runs the rules on a ticket just opened or changed; the caller counts the write's version. `articles` resolves article references to ids.
    /// Every change a rule makes is an event without an actor whose body names the rule.
    public func apply(
        to ticket: Ticket,
        on trigger: TriageRule.Trigger,
        matrix: PriorityMatrix,
        articles: [Int: UUID] = [:],
        at now: Date
    ) -> (Ticket, [TicketEvent]) {
        var next = ticket
        var events: [TicketEvent] = []
        let text = TextWords(ticket.title + "\n" + ticket.description)
        let numbers = ticket.attributes.compactMapValues(TriageRule.AttributeTest.number)
        // Through the buffer: copying 200 rules per ticket (their arrays and strings retained and released)
        // costs more than matching them, and the array's subscript copied each one.
        rules.withUnsafeBufferPointer { rules in
            for index in rules.indices
            where rules[index].enabled
                && rules[index].matches(next, text: text, phrases: phrases[index], numbers: numbers, on: trigger)
            {
                let rule = rules[index]
                let cause = "Rule: \(rule.name)"
                func record(_ kind: TicketEventKind, _ field: String, _ before: String?, _ after: String?) {
                    guard before != after else { return }
                    events.append(
                        TicketEvent(
                            ticketID: ticket.id,
                            kind: kind,
                            actorID: nil,
                            at: now,
                            field: field,
                            before: before,
                            after: after,
                            body: cause
                        )
                    )
                }
                let then = rule.then
                let before = next
                if let impact = then.impact { next.impact = impact }
                if let urgency = then.urgency { next.urgency = urgency }
                matrix.rederive(&next, from: before, severity: then.severity)
                record(.fieldChanged, "impact", before.impact.rawValue, next.impact.rawValue)
                record(.fieldChanged, "urgency", before.urgency.rawValue, next.urgency.rawValue)
                record(.fieldChanged, "priority", before.priority.rawValue, next.priority.rawValue)
                record(.fieldChanged, "severity", before.severity.rawValue, next.severity.rawValue)
                if trigger == .create, let tier = then.tier, tier != .l4 {
                    next.tier = tier
                    record(.tierChanged, "tier", before.tier.rawValue, tier.rawValue)
                }
                if let group = then.group {
                    next.group = group
                    record(.assigned, "group", before.group, group)
                }
                if let reference = then.knownError, let number = KnownError.number(in: reference),
                    let id = articles[number], next.knownErrorID == nil
                {
                    next.knownErrorID = id
                    events.append(
                        TicketEvent(
                            ticketID: ticket.id,
                            kind: .knownErrorApplied,
                            actorID: nil,
                            at: now,
                            field: "knownErrorId",
                            before: next.tier.rawValue,
                            after: reference.uppercased(),
                            body: cause
                        )
                    )
                }
                if let tag = then.tag.flatMap(TicketAttributes.tag), !next.tags.contains(tag),
                    next.tags.count < TicketAttributes.maxTags
                {
                    next.tags.append(tag)
                    record(.fieldChanged, "tags", before.tags.joined(separator: ","), next.tags.joined(separator: ","))
                }
                if trigger == .create, let runbook = then.runbook {
                    events.append(
                        TicketEvent(
                            ticketID: ticket.id,
                            kind: .internalNote,
                            actorID: nil,
                            at: now,
                            body: "\(cause)\n\n\(runbook)"
                        )
                    )
                }
                if trigger == .create, let reply = then.autoReply {
                    events.append(
                        TicketEvent(ticketID: ticket.id, kind: .publicReply, actorID: nil, at: now, body: reply)
                    )
                }
            }
        }
        return (next, events)
    }

    /// The article references the rules name, so callers can look them up once.
    public var articleNumbers: Set<Int> {
        Set(rules.compactMap { $0.then.knownError.flatMap(KnownError.number(in:)) })
    }
}

extension TriageRule {
    /// `numbers` holds the ticket's attributes that read as numbers.
    func matches(
        _ ticket: Ticket,
        text: TextWords,
        phrases: [[Substring]],
        numbers: [String: Double],
        on trigger: Trigger
    ) -> Bool {
        if let on = when.on, !on.contains(trigger) { return false }
        if let services = when.services, !services.contains(where: { $0 == ticket.serviceID }) { return false }
        if let types = when.types, !types.contains(ticket.type) { return false }
        if let channels = when.channels, !channels.contains(ticket.channel) { return false }
        if when.text != nil, !phrases.contains(where: text.contains) { return false }
        if let tests = when.attributes {
            for test in tests where !test.holds(numbers[test.name], present: { ticket.attributes[test.name] != nil }) {
                return false
            }
        }
        return true
    }
}

extension TriageRule.AttributeTest {
    /// An attribute as a number: `85`, `85 %` and `0.5` read as numbers.
    static func number(_ raw: String) -> Double? {
        var text = Substring(raw)
        while let last = text.last, last == "%" || last == " " { text = text.dropLast() }
        return Double(text.drop(while: { $0 == " " }))
    }

    /// `number` is the attribute read as a number; `present` says whether the ticket has it at all.
    func holds(_ number: Double?, present: () -> Bool) -> Bool {
        if op == .present { return number != nil || present() }
        guard let value else { return false }
        guard let number else { return op == .ne && present() }
        switch op {
        case .eq: return number == value
        case .ne: return number != value
        case .lt: return number < value
        case .le: return number <= value
        case .gt: return number > value
        case .ge: return number >= value
        case .present: return true
        }
    }
}
