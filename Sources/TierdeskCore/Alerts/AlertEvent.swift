import Foundation

/// A generic event (`POST /api/v1/integrations/events`) in the shape of PagerDuty's Events API v2:
/// `event_action` trigger, acknowledge or resolve; a `dedup_key`; a payload with summary, source,
/// severity and details.
public struct AlertEvent: Sendable, Decodable {
    public struct Payload: Sendable, Decodable {
        public var summary: String?
        public var source: String?
        public var severity: String?
        public var timestamp: String?
        public var component: String?
        public var group: String?
        public var `class`: String?
        public var customDetails: JSONValue?

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, component, group, `class`
            case customDetails = "custom_details"
        }
    }

    public var eventAction: String?
    public var dedupKey: String?
    public var payload: Payload?
    public var clientURL: String?

    enum CodingKeys: String, CodingKey {
        case eventAction = "event_action"
        case dedupKey = "dedup_key"
        case payload
        case clientURL = "client_url"
    }

    /// The severities the Events API knows.
    public static let severities = ["critical", "error", "warning", "info"]
    /// Longest summary, as PagerDuty allows.
    public static let maxSummary = 1024

    /// The event as a signal. A trigger without a dedup key gets `generatedKey`; every offending field is named.
    public func signal(generatedKey: String) throws(ValidationFailure) -> AlertSignal {
        var errors: [FieldError] = []
        let action = eventAction.flatMap { AlertSignal.Action(rawValue: $0.lowercased()) }
        if action == nil {
            errors.append(FieldError(field: "event_action", message: "must be trigger, acknowledge or resolve"))
        }
        let given = dedupKey?.trimmingWhitespace() ?? ""
        if !AlertKey.isUsable(given) {
            errors.append(
                FieldError(
                    field: "dedup_key",
                    message: "must be at most \(AlertSignal.maxKeyLength) characters without control characters"
                )
            )
        } else if given.isEmpty, action != nil, action != .trigger {
            errors.append(FieldError(field: "dedup_key", message: "is required to \(action!.rawValue) an alert"))
        }
        var labels: [String: String] = [:]
        var summary = ""
        var started: Date?
        if action == .trigger {
            summary = payload?.summary?.trimmingWhitespace() ?? ""
            if summary.isEmpty {
                errors.append(FieldError(field: "payload.summary", message: "is required for a trigger"))
            } else if summary.count > Self.maxSummary {
                errors.append(
                    FieldError(
                        field: "payload.summary",
                        message: "must be at most \(Self.maxSummary) characters (got \(summary.count))"
                    )
                )
            }
            if (payload?.source?.trimmingWhitespace() ?? "").isEmpty {
                errors.append(FieldError(field: "payload.source", message: "is required for a trigger"))
            }
            if let severity = payload?.severity?.lowercased(), Self.severities.contains(severity) {
                labels["severity"] = severity
            } else {
                errors.append(
                    FieldError(
                        field: "payload.severity",
                        message: "must be one of \(Self.severities.joined(separator: ", "))"
                    )
                )
            }
            if let text = payload?.timestamp {
                started = Timestamp.parse(text)
                if started == nil {
                    errors.append(FieldError(field: "payload.timestamp", message: "is not an RFC 3339 time stamp"))
                }
            }
            for (name, value) in [
                ("source", payload?.source), ("component", payload?.component), ("group", payload?.group),
                ("class", payload?.class),
            ] {
                if let value, !value.isEmpty { labels[name] = value }
            }
        }
        guard errors.isEmpty, let action else { throw ValidationFailure(errors) }
        return AlertSignal(
            source: .events,
            key: given.isEmpty ? generatedKey : given,
            action: action,
            summary: summary,
            details: payload?.customDetails.map { $0.text } ?? "",
            labels: labels,
            startedAt: started,
            link: clientURL
        )
    }
}

/// Any JSON value, kept to be shown as text (an event's custom details).
public indirect enum JSONValue: Sendable, Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as readable text: objects one `key: value` line per member, sorted by key.
    public var text: String { lines(indent: "").joined(separator: "\n") }

    private func lines(indent: String) -> [String] {
        switch self {
        case .object(let members):
            return members.sorted { $0.key < $1.key }
                .flatMap { key, value -> [String] in
                    switch value {
                    case .object, .array: return ["\(indent)\(key):"] + value.lines(indent: indent + "  ")
                    default: return ["\(indent)\(key): \(value.text)"]
                    }
                }
        case .array(let items):
            return items.flatMap { item -> [String] in
                switch item {
                case .object, .array: return ["\(indent)-"] + item.lines(indent: indent + "  ")
                default: return ["\(indent)- \(item.text)"]
                }
            }
        case .null: return ["\(indent)null"]
        case .bool(let value): return ["\(indent)\(value)"]
        case .number(let value):
            return ["\(indent)\(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))"]
        case .string(let value): return ["\(indent)\(value)"]
        }
    }
}
