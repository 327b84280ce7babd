import Foundation
import TierdeskCore
import TierdeskStore

/// A ticket change as a live page hears it: one Server-Sent Events message (`event: ticket`) whose data is
/// JSON, built with the JSON encoder so names and references are escaped.
struct LiveEvent: Codable, Equatable {
    var reference: String
    var kind: String
    /// What happened, in words: "replied", "added a note", …
    var label: String
    /// Who did it; empty for the desk's own automation.
    var by: String
    /// Whether the listener did it (their own page refreshes itself).
    var mine: Bool

    init(_ change: TicketRepository.LiveChange, by name: String, mine: Bool) {
        reference = TicketReference.format(change.number)
        kind = change.kind.rawValue
        label = Self.label(change.kind)
        by = name
        self.mine = mine
    }

    static func label(_ kind: TicketEventKind) -> String {
        switch kind {
        case .created: "opened it"
        case .publicReply: "replied"
        case .internalNote: "added a note"
        case .statusChanged: "changed the status"
        case .assigned: "assigned it"
        case .escalated: "escalated it"
        case .deescalated: "handed it back"
        case .attachmentAdded: "added a file"
        case .slaAlarm: "raised an SLA alarm"
        case .vendorMessage: "wrote in the vendor thread"
        default: "changed it"
        }
    }

    /// The message as sent, with the event's place in the history as its id.
    func message(seq: Int64) -> String {
        let data = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(seq)\nevent: ticket\ndata: \(data)\n\n"
    }
}
