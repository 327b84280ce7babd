import Foundation

/// Someone with a ticket open in the console.
public struct TicketPresence: Sendable, Equatable {
    /// What they are doing there.
    public enum State: String, StringEnum, Sendable {
        case viewing
        /// Typing a reply or a note.
        case replying
    }

    public var personID: UUID
    public var state: State
    public var seenAt: Date

    /// How long a page counts as open after it last said so.
    public static let lifetime: TimeInterval = 60

    public init(personID: UUID, state: State, seenAt: Date) {
        self.personID = personID
        self.state = state
        self.seenAt = seenAt
    }
}
