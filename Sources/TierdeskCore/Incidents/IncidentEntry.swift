import Foundation

/// One line of a major incident's timeline that the incident itself recorded: its declaration, links,
/// state changes, updates, reminders, misses and pages, and notes written by hand. The timeline a reader
/// sees adds the linked tickets' escalations and the pages' acknowledgements to these.
public struct IncidentEntry: Sendable, Equatable, Identifiable {
    public enum Kind: String, StringEnum, Sendable {
        case declared
        case ticketOpened
        case ticketLinked
        case stateChanged
        case updateSent
        case updateReminder
        case updateMissed
        case paged
        case note
        case reviewWritten
        case reviewShared
        case escalated
        case acknowledged
    }

    public var id: UUID
    public var incidentID: UUID
    public var at: Date
    public var kind: Kind
    public var actorID: UUID?
    public var text: String

    public init(id: UUID = .timeOrdered(), incidentID: UUID, at: Date, kind: Kind, actorID: UUID?, text: String) {
        self.id = id
        self.incidentID = incidentID
        self.at = at
        self.kind = kind
        self.actorID = actorID
        self.text = text
    }

    /// Longest note, in characters.
    public static let maxNote = 2_000
}
