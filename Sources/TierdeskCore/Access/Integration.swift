import Foundation

/// A system that feeds Tierdesk: a mail gateway or a monitoring source. Each has its own secret token,
/// which opens its own endpoint and nothing else.
public struct Integration: Sendable, Equatable, Identifiable {
    /// Which endpoint a token opens.
    public enum Kind: String, StringEnum, Sendable {
        /// `POST /api/v1/mail/inbound`, used by `tierdesk mailgate`.
        case mailgate
        /// `POST /api/v1/integrations/alertmanager`.
        case alertmanager
        /// `POST /api/v1/integrations/grafana`.
        case grafana
        /// `POST /api/v1/integrations/events`.
        case events
    }

    public var id: UUID
    public var kind: Kind
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: UUID, kind: Kind, name: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
