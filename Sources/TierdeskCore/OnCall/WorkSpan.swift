import Foundation

/// A stretch someone worked on an incident: an acknowledged page until it was resolved, or work logged
/// on a Sev1 or Sev2 ticket.
public struct WorkSpan: Sendable, Equatable {
    public enum Source: String, StringEnum, Sendable {
        case page, ticket
    }

    public var source: Source
    public var personID: UUID
    public var start: Date
    public var end: Date

    public init(source: Source, personID: UUID, start: Date, end: Date) {
        self.source = source
        self.personID = personID
        self.start = start
        self.end = end
    }

    /// The stretch of an acknowledged page: from its acknowledgement until it was resolved, or until
    /// `now` while it is still open. Nil for a page nobody acknowledged.
    public init?(page: OnCallPage, now: Date) {
        guard let person = page.acknowledgedBy, let start = page.acknowledgedAt else { return nil }
        let end = page.resolvedAt ?? max(start, now)
        self.init(source: .page, personID: person, start: start, end: end)
    }

    /// The stretch of logged work.
    public init(_ work: TimeEntry) {
        self.init(source: .ticket, personID: work.personID, start: work.start, end: work.end)
    }
}
