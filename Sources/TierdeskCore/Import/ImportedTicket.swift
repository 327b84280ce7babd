import Foundation

/// A ticket and its whole history as another desk holds it, in that desk's own words (statuses, priorities)
/// and ids; ``ImportConversion`` turns it into a Tierdesk ticket.
public struct ImportedTicket: Sendable, Equatable {
    public var sourceID: String
    public var title: String
    /// The request's text; nil when the history's first message holds it.
    public var description: String?
    public var requester: String
    public var owner: String?
    public var queue: String?
    /// The source's status name (`open`, `stalled`, `pending reminder`, …).
    public var status: String
    /// The source's priority: a number for Request Tracker, a name for Zammad and CSV files.
    public var priority: String?
    public var createdAt: Date
    public var updatedAt: Date?
    /// Custom fields, by the source's names.
    public var fields: [String: String]
    public var tags: [String]
    public var links: [ImportedLink]
    /// Oldest first.
    public var entries: [ImportedEntry]

    public init(
        sourceID: String,
        title: String,
        description: String? = nil,
        requester: String,
        owner: String? = nil,
        queue: String? = nil,
        status: String,
        priority: String? = nil,
        createdAt: Date,
        updatedAt: Date? = nil,
        fields: [String: String] = [:],
        tags: [String] = [],
        links: [ImportedLink] = [],
        entries: [ImportedEntry] = []
    ) {
        self.sourceID = sourceID
        self.title = title
        self.description = description
        self.requester = requester
        self.owner = owner
        self.queue = queue
        self.status = status
        self.priority = priority
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.fields = fields
        self.tags = tags
        self.links = links
        self.entries = entries
    }
}

/// One thing that happened to an imported ticket.
public struct ImportedEntry: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// A message: public (correspondence, a reply) or internal (a comment, a note).
        case message(isPublic: Bool)
        /// The status moved, in the source's names.
        case status(from: String?, to: String)
        /// The owner changed (source person ids; nil is nobody).
        case owner(from: String?, to: String?)
        /// The queue or group changed (source queue ids).
        case queue(from: String?, to: String?)
        case title(from: String?, to: String)
        case priority(from: String?, to: String?)
        /// A custom field changed.
        case field(name: String, from: String?, to: String?)
    }

    public var sourceID: String
    public var at: Date
    /// The source person id of who did it; nil for the source's own automation.
    public var author: String?
    public var change: Change
    public var body: String?
    public var files: [ImportedFile]

    public init(
        sourceID: String,
        at: Date,
        author: String?,
        change: Change,
        body: String? = nil,
        files: [ImportedFile] = []
    ) {
        self.sourceID = sourceID
        self.at = at
        self.author = author
        self.change = change
        self.body = body
        self.files = files
    }
}

/// A file attached to a message.
public struct ImportedFile: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// A link between an imported ticket and another ticket of the same source.
public struct ImportedLink: Sendable, Equatable, Hashable {
    public var kind: TicketLinkKind
    /// The other ticket's source id.
    public var other: String
    /// Whether the link points from the other ticket to this one (RT's "referred to by").
    public var incoming: Bool

    public init(kind: TicketLinkKind, other: String, incoming: Bool = false) {
        self.kind = kind
        self.other = other
        self.incoming = incoming
    }
}
