import Foundation
import TierdeskCore
import TierdeskStore

/// One history entry as the API shows it.
struct EventDTO: Encodable {
    var id: UUID
    var ticketReference: String
    var kind: String
    var actorId: UUID?
    var at: String
    var field: String?
    var before: String?
    var after: String?
    var body: String?
    var `internal`: Bool

    init(_ event: TicketEvent, reference: String) {
        id = event.id
        ticketReference = reference
        kind = event.kind.rawValue
        actorId = event.actorID
        at = Timestamp.format(event.at)
        field = event.field
        before = event.before
        after = event.after
        body = event.body
        `internal` = event.kind.isInternal
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(ticketReference, forKey: .ticketReference)
        try c.encode(kind, forKey: .kind)
        try c.encode(actorId, forKey: .actorId)
        try c.encode(at, forKey: .at)
        try c.encode(field, forKey: .field)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
        try c.encode(body, forKey: .body)
        try c.encode(`internal`, forKey: .internal)
    }

    enum CodingKeys: String, CodingKey { case id, ticketReference, kind, actorId, at, field, before, after, body, `internal` }
}

/// An attachment's description.
struct AttachmentDTO: Encodable {
    var id: UUID
    var ticketReference: String
    var filename: String
    var contentType: String
    var size: Int
    var uploadedBy: UUID
    var createdAt: String

    init(_ info: AttachmentInfo, reference: String) {
        id = info.id
        ticketReference = reference
        filename = info.filename
        contentType = info.contentType
        size = info.size
        uploadedBy = info.uploadedBy
        createdAt = Timestamp.format(info.createdAt)
    }
}
