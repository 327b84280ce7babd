import TierdeskCore

/// A linked ticket on a ticket page: how the link reads, and the other ticket's reference, title and status.
struct LinkedTicketView {
    var label: String
    var reference: String
    var link: String
    var title: String
    var status: String
    /// The stored link's kind, to remove it; nil for a merge, which stays.
    var kind: String?

    init(_ linked: TicketDesk.LinkedTicket, base: String) {
        label = linked.label
        reference = linked.other.reference
        link = "\(base)/\(linked.other.reference)"
        title = linked.other.title
        status = StatusLabel.text(linked.other.status)
        kind = linked.link.kind == .duplicateOf ? nil : linked.link.kind.rawValue
    }
}
