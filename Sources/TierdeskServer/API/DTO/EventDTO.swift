import Foundation
import TierdeskCore
import TierdeskStore

/// One history entry as the API shows it.
struct EventDTO: Encodable {
    var id: UUID
    var ticketReference: String
    var kind: String
    @Nullable var actorId: UUID?
    var at: String
    @Nullable var field: String?
    @Nullable var before: String?
    @Nullable var after: String?
    @Nullable var body: String?
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
