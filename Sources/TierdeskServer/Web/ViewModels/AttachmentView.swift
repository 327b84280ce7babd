import Foundation
import TierdeskCore
import TierdeskStore

/// A file kept with a ticket, as its console and portal pages list it, linked for download.
struct AttachmentView {
    var id: String
    var name: String
    var link: String
    var size: String
    var at: String
    var atISO: String

    init(_ info: AttachmentInfo, reference: String) {
        id = info.id.uuidString
        name = info.filename
        link = "/api/v1/tickets/\(reference)/attachments/\(info.id.uuidString)"
        size = ByteCountFormatter.string(fromByteCount: Int64(info.size), countStyle: .file)
        at = DisplayTime.text(info.createdAt)
        atISO = Timestamp.format(info.createdAt)
    }
}
