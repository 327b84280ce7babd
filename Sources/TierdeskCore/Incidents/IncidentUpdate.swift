import Foundation

/// One update sent about a major incident: what subscribers and the status page read. It says only what its
/// author wrote for the public; "no change, still investigating" is an update too.
public struct IncidentUpdate: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var incidentID: UUID
    public var at: Date
    public var authorID: UUID?
    /// The incident's state the update announces.
    public var state: MajorIncident.State
    /// The text as rendered from the state's template and sent.
    public var message: String
    /// Whether it only repeats that nothing changed.
    public var noChange: Bool
    /// When the next update was promised, if the incident is still active.
    public var nextUpdateDue: Date?

    public init(
        id: UUID = .timeOrdered(),
        incidentID: UUID,
        at: Date,
        authorID: UUID?,
        state: MajorIncident.State,
        message: String,
        noChange: Bool,
        nextUpdateDue: Date?
    ) {
        self.id = id
        self.incidentID = incidentID
        self.at = at
        self.authorID = authorID
        self.state = state
        self.message = message
        self.noChange = noChange
        self.nextUpdateDue = nextUpdateDue
    }

    /// Longest update text, in characters.
    public static let maxMessage = 5_000
}
