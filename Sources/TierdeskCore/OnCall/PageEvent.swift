import Foundation

/// One entry in a page's history: started, who was notified at which step, steps skipped for want of
/// anyone on call, the chain running out, the acknowledgement and the resolution.
public struct PageEvent: Sendable, Equatable, Identifiable {
    public enum Kind: String, StringEnum, Sendable {
        case started, notified, skipped, exhausted, acknowledged, resolved
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

    public init(id: UUID = UUID(), pageID: UUID, at: Date, kind: Kind, step: Int? = nil, personID: UUID? = nil, detail: String? = nil) {
        self.id = id
        self.pageID = pageID
        self.at = at
        self.kind = kind
        self.step = step
        self.personID = personID
        self.detail = detail
    }
}
