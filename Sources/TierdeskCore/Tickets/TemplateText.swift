/// The placeholders of canned responses, `{requester}` and so on, filled from the ticket and the agent.
public enum TemplateText {
    public enum Placeholder: String, CaseIterable, Sendable {
        /// The requester's name, and their first name.
        case requester, requesterFirstName = "requester_first_name"
        case organisation
        /// The ticket's reference (`TD-1042`) and title.
        case reference, title
        /// The agent who sends it.
        case agent
    }

    /// What the placeholders stand for in one reply.
    public struct Values: Sendable {
        public var requester: String
        public var organisation: String
        public var reference: String
        public var title: String
        public var agent: String

        public init(requester: String, organisation: String, reference: String, title: String, agent: String) {
            self.requester = requester
            self.organisation = organisation
            self.reference = reference
            self.title = title
            self.agent = agent
        }

        func value(_ placeholder: Placeholder) -> String {
            switch placeholder {
            case .requester: requester
            case .requesterFirstName: requester.split(separator: " ").first.map(String.init) ?? requester
            case .organisation: organisation
            case .reference: reference
            case .title: title
            case .agent: agent
            }
        }
    }

    /// The text with every placeholder replaced; braces around anything else stay as they are.
    public static func fill(_ body: String, with values: Values) -> String {
        var output = ""
        var rest = Substring(body)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let placeholder = Placeholder(rawValue: String(after[..<close])) {
                output += values.value(placeholder)
                rest = after[after.index(after: close)...]
            } else {
                output += "{"
                rest = after
            }
        }
        return output + rest
    }

    /// Names in braces that look like placeholders (letters and `_`) but are none, in order of appearance.
    public static func unknownPlaceholders(in body: String) -> [String] {
        var unknown: [String] = []
        var rest = Substring(body)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }), Placeholder(rawValue: name) == nil,
                !unknown.contains(name)
            {
                unknown.append(name)
            }
            rest = after[after.index(after: close)...]
        }
        return unknown
    }
}
