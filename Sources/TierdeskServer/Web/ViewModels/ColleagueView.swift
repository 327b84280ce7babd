import Foundation
import Hummingbird
import NIOCore
import TierdeskCore

/// Someone else with the ticket open, as the page and the presence answer say it: "Ben Fischer is replying".
struct ColleagueView: Codable, Equatable {
    var name: String
    var state: String
    var text: String

    init(_ colleague: TicketDesk.Colleague) {
        name = colleague.name
        state = colleague.state.rawValue
        text =
            "\(colleague.name) is \(colleague.state == .replying ? "writing a reply or note" : "viewing this ticket")"
    }
}

/// The answer to a page's presence call: the others on the ticket.
struct PresenceAnswer: Encodable {
    var others: [ColleagueView]

    init(_ colleagues: [TicketDesk.Colleague]) {
        others = colleagues.map(ColleagueView.init)
    }

    func response() throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: .ok,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(self)))
        )
    }
}
