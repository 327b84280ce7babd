import Foundation

/// One entry in a page's history: started, who was notified at which step, steps skipped for want of
/// anyone on call, the chain running out, the acknowledgement and the resolution.
public struct PageEvent: Sendable, Equatable, Identifiable {
    public enum Kind: String, StringEnum, Sendable {
        case started, skipped, notified, exhausted, acknowledged, resolved
    }

    /// Events of one instant in the order they happen: a page starts, steps without anyone are skipped,
    /// then someone is notified (or nobody is left); an acknowledgement or resolution comes last. Within a
    /// kind, earlier steps first.
    public static func chronological(_ lhs: PageEvent, _ rhs: PageEvent) -> Bool {
        let left = (lhs.at, Kind.allCases.firstIndex(of: lhs.kind)!, lhs.step ?? -1)
        let right = (rhs.at, Kind.allCases.firstIndex(of: rhs.kind)!, rhs.step ?? -1)
        return left < right
    }

    public var id: UUID
    public var pageID: UUID
    public var at: Date
    public var kind: Kind
    /// The step, counting repeats from 0.
    public var step: Int?
    public var personID: UUID?
    /// For `notified`, the channels; for `skipped`, why.
    public var detail: String?

    public init(
        id: UUID = .timeOrdered(),
        pageID: UUID,
        at: Date,
        kind: Kind,
        step: Int? = nil,
        personID: UUID? = nil,
        detail: String? = nil
    ) {
        self.id = id
        self.pageID = pageID
        self.at = at
        self.kind = kind
        self.step = step
        self.personID = personID
        self.detail = detail
    }
}
