import Foundation

/// The webhook body of Prometheus Alertmanager (payload version 4) and of Grafana's unified alerting,
/// which sends the same shape with a few more fields: a group of alerts, each firing or resolved.
public struct AlertGroupWebhook: Sendable, Decodable {
    public struct Alert: Sendable, Decodable {
        public var status: String
        public var labels: [String: String]
        public var annotations: [String: String]?
        public var startsAt: String?
        public var endsAt: String?
        public var generatorURL: String?
        public var fingerprint: String?
        /// Grafana only.
        public var dashboardURL: String?
        /// Grafana only: the query values, as text.
        public var valueString: String?
    }

    public var version: String?
    public var status: String?
    public var receiver: String?
    public var externalURL: String?
    public var alerts: [Alert]

    /// Most alerts taken in one request.
    public static let maxAlerts = 1000
    /// Most labels or annotations on one alert.
    public static let maxLabels = 128

    /// A time stamp as these sources write it; Go's zero time (year 1), sent for "no end yet", is none.
    static func instant(_ text: String?) -> Date? {
        guard let text, !text.hasPrefix("0001-") else { return nil }
        return Timestamp.parse(text)
    }

    /// The group's alerts as signals; every offending alert is named by its index.
    public func signals(from source: Integration.Kind) throws(ValidationFailure) -> [AlertSignal] {
        var errors: [FieldError] = []
        if alerts.count > Self.maxAlerts {
            throw ValidationFailure([
                FieldError(
                    field: "alerts",
                    message: "holds \(alerts.count) alerts; send at most \(Self.maxAlerts) per request"
                )
            ])
        }
        var signals: [AlertSignal] = []
        for (index, alert) in alerts.enumerated() {
            let field = "alerts[\(index)]"
            let action: AlertSignal.Action
            switch alert.status.lowercased() {
            case "firing": action = .trigger
            case "resolved": action = .resolve
            default:
                errors.append(
                    FieldError(
                        field: "\(field).status",
                        message: "must be firing or resolved (got \(AlertText.line(alert.status, max: 40)))"
                    )
                )
                continue
            }
            let annotations = alert.annotations ?? [:]
            if alert.labels.count > Self.maxLabels || annotations.count > Self.maxLabels {
                errors.append(
                    FieldError(
                        field: "\(field).labels",
                        message: "at most \(Self.maxLabels) labels and \(Self.maxLabels) annotations are taken"
                    )
                )
                continue
            }
            let started = Self.instant(alert.startsAt)
            if let text = alert.startsAt, started == nil, !text.hasPrefix("0001-") {
                errors.append(FieldError(field: "\(field).startsAt", message: "is not an RFC 3339 time stamp"))
                continue
            }
            let name = alert.labels["alertname"] ?? alert.labels["__alert_rule_title__"] ?? "alert"
            let summary = annotations["summary"] ?? annotations["title"] ?? name
            var details = annotations["description"] ?? annotations["message"] ?? ""
            if let value = alert.valueString, !value.isEmpty {
                details += (details.isEmpty ? "" : "\n") + "Values: \(value)"
            }
            signals.append(
                AlertSignal(
                    source: source,
                    key: AlertKey.make(given: alert.fingerprint, labels: alert.labels),
                    action: action,
                    summary: name == summary ? summary : "\(name): \(summary)",
                    details: details,
                    labels: alert.labels,
                    startedAt: started,
                    endedAt: action == .resolve ? Self.instant(alert.endsAt) : nil,
                    link: alert.dashboardURL ?? alert.generatorURL
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return signals
    }
}
