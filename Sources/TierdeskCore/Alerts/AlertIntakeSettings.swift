import Foundation

/// How monitoring alerts become tickets: on whose behalf, at which severity, for which service, and what
/// a resolved alert does to its ticket.
public struct AlertIntakeSettings: Sendable, Equatable, Codable {
    /// What a resolved alert does to its open ticket.
    public enum OnResolve: String, StringEnum, Sendable {
        /// Resolves the ticket.
        case close
        /// Adds an internal note and leaves the ticket to the agents.
        case annotate
    }

    /// The agent account alert tickets are opened and resolved as; alerts are refused until it is set.
    public var reporterId: UUID?
    /// The label whose value gives the severity.
    public var severityLabel: String
    /// Label values (lower case) and their severities; other values get ``defaultSeverity``.
    public var severities: [String: Severity]
    public var defaultSeverity: Severity
    /// The label whose value names the service (by name, ignoring case).
    public var serviceLabel: String
    public var onResolve: OnResolve
    /// The queue alert tickets go to, if any.
    public var group: String?
    /// Most tickets alert intake opens in one clock hour (UTC). In a storm, further new alerts are recorded and held as
    /// internal notes on the newest alert ticket instead of opening tickets of their own: kept, never dropped.
    public var newTicketsPerHour: Int

    public static let defaultNewTicketsPerHour = 200

    public static let standardSeverities: [String: Severity] = [
        "critical": .sev1, "page": .sev1, "disaster": .sev1,
        "error": .sev2, "high": .sev2, "major": .sev2,
        "warning": .sev3, "minor": .sev3, "info": .sev3, "low": .sev3,
    ]

    public init(
        reporterId: UUID? = nil,
        severityLabel: String = "severity",
        severities: [String: Severity] = Self.standardSeverities,
        defaultSeverity: Severity = .sev3,
        serviceLabel: String = "service",
        onResolve: OnResolve = .close,
        group: String? = nil,
        newTicketsPerHour: Int = Self.defaultNewTicketsPerHour
    ) {
        self.reporterId = reporterId
        self.severityLabel = severityLabel
        self.severities = severities
        self.defaultSeverity = defaultSeverity
        self.serviceLabel = serviceLabel
        self.onResolve = onResolve
        self.group = group
        self.newTicketsPerHour = newTicketsPerHour
    }

    /// Settings stored before a field existed take its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reporterId = try container.decodeIfPresent(UUID.self, forKey: .reporterId)
        severityLabel = try container.decode(String.self, forKey: .severityLabel)
        severities = try container.decode([String: Severity].self, forKey: .severities)
        defaultSeverity = try container.decode(Severity.self, forKey: .defaultSeverity)
        serviceLabel = try container.decode(String.self, forKey: .serviceLabel)
        onResolve = try container.decode(OnResolve.self, forKey: .onResolve)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        newTicketsPerHour =
            try container.decodeIfPresent(Int.self, forKey: .newTicketsPerHour) ?? Self.defaultNewTicketsPerHour
    }

    /// The severity the labels ask for.
    public func severity(of labels: [String: String]) -> Severity {
        labels[severityLabel].flatMap { severities[$0.trimmingWhitespace().lowercased()] } ?? defaultSeverity
    }

    /// Checks the settings as a whole; every offending field is named.
    public func validate() throws(ValidationFailure) {
        var errors: [FieldError] = []
        _ = TextLimits.line(severityLabel, field: "severityLabel", maxCharacters: TextLimits.label, errors: &errors)
        _ = TextLimits.line(serviceLabel, field: "serviceLabel", maxCharacters: TextLimits.label, errors: &errors)
        if let group { _ = TextLimits.line(group, field: "group", maxCharacters: TextLimits.label, errors: &errors) }
        if !(1...100_000).contains(newTicketsPerHour) {
            errors.append(
                FieldError(
                    field: "newTicketsPerHour",
                    message: "must be between 1 and 100000 (got \(newTicketsPerHour))"
                )
            )
        }
        if severities.count > 100 {
            errors.append(
                FieldError(field: "severities", message: "may map at most 100 values (got \(severities.count))")
            )
        }
        for value in severities.keys.sorted()
        where value != value.lowercased() || value.trimmingWhitespace().isEmpty || value.count > TextLimits.label {
            errors.append(
                FieldError(
                    field: "severities",
                    message:
                        "'\(value.prefix(TextLimits.label))' must be a non-empty lower-case label value of at most \(TextLimits.label) characters"
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
