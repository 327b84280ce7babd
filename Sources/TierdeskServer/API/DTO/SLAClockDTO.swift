import Foundation
import TierdeskCore

/// A ticket's SLA clock as the API shows it.
struct SLAClockDTO: Encodable {
    var kind: String
    @Nullable var due: String?
    var state: String
    @Nullable var remainingMinutes: Int?

    init(_ clock: TicketClock) {
        kind = clock.kind.rawValue
        due = clock.due.map(Timestamp.format)
        state = clock.state.rawValue
        remainingMinutes = clock.remaining.map { Int(($0 / 60).rounded(.down)) }
    }

}

/// All clocks of a ticket.
struct SLAClocksDTO: Encodable {
    var reference: String
    var clocks: [SLAClockDTO]
}
