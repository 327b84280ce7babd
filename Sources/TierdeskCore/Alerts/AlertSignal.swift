import Foundation

/// One alert event from a monitoring source, in one shape whatever its source: Alertmanager and Grafana
/// alerts and generic events all become signals before anything is decided about them.
public struct AlertSignal: Sendable, Equatable {
    /// What the source says about the alert.
    public enum Action: String, Sendable, Codable {
        /// The alert fires (first time or again).
        case trigger
        /// Someone at the source has seen it.
        case acknowledge
        /// The alert is over.
        case resolve
    }

    /// Longest alert key (fingerprint or dedup key), in characters.
    public static let maxKeyLength = 255

    /// The integration kind the signal came through; keys are unique per source.
    public var source: Integration.Kind
    /// The fingerprint or dedup key: one open ticket per key.
    public var key: String
    public var action: Action
    /// One line for the ticket title.
    public var summary: String
    /// More text for the ticket (description annotation, custom details).
    public var details: String
    /// The alert's labels (Alertmanager, Grafana) or the event's fields (severity, source, component …).
    public var labels: [String: String]
    /// When this firing began at the source (`startsAt`, the event's timestamp); marks the episode.
    public var startedAt: Date?
    /// When the alert ended at the source (`endsAt` of a resolved alert).
    public var endedAt: Date?
    /// A link back to the source (generator, dashboard, client URL).
    public var link: String?

    /// Episode times are kept to the millisecond, which every database stores exactly, so that an episode
    /// read back compares equal to the same episode sent again.
    static func toMillisecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// An instant in whole milliseconds since 1970, as episode times are compared.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public init(
        source: Integration.Kind,
        key: String,
        action: Action,
        summary: String,
        details: String = "",
        labels: [String: String] = [:],
        startedAt: Date? = nil,
        endedAt: Date? = nil,
        link: String? = nil
    ) {
        self.source = source
        self.key = key
        self.action = action
        self.summary = summary
        self.details = details
        self.labels = labels
        self.startedAt = startedAt.map(Self.toMillisecond)
        self.endedAt = endedAt.map(Self.toMillisecond)
        self.link = link
    }
}
