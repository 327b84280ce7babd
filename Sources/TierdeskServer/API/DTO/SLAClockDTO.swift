import Foundation
import TierdeskCore

/// A ticket's SLA clock as the API shows it.
struct SLAClockDTO: Encodable {
    var kind: String
    var due: String?
    var state: String
    var remainingMinutes: Int?

    init(_ clock: TicketClock) {
        kind = clock.kind.rawValue
        due = clock.due.map(Timestamp.format)
        state = clock.state.rawValue
        remainingMinutes = clock.remaining.map { Int(($0 / 60).rounded(.down)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(due, forKey: .due)
        try c.encode(state, forKey: .state)
        try c.encode(remainingMinutes, forKey: .remainingMinutes)
    }

    enum CodingKeys: String, CodingKey { case kind, due, state, remainingMinutes }
}

/// All clocks of a ticket.
struct SLAClocksDTO: Encodable {
    var reference: String
    var clocks: [SLAClockDTO]
}
