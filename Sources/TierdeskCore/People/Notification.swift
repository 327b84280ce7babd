import Foundation

/// A message to one member of staff inside Tierdesk, e.g. that a ticket's SLA is about to be breached, or
/// that someone replied on a ticket they watch.
public struct Notification: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Codable {
        case slaWarning = "sla_warning"
        case slaBreach = "sla_breach"
        /// Something happened on a ticket the person watches.
        case ticketActivity = "ticket_activity"
    }

    public var id: UUID
    public var personID: UUID
    public var ticketID: UUID
    public var ticketNumber: Int
    public var kind: Kind
    public var message: String
    public var createdAt: Date
    public var readAt: Date?

    public init(
        id: UUID = .timeOrdered(),
        personID: UUID,
        ticketID: UUID,
        ticketNumber: Int,
        kind: Kind,
        message: String,
        createdAt: Date,
        readAt: Date? = nil
    ) {
        self.id = id
        self.personID = personID
        self.ticketID = ticketID
        self.ticketNumber = ticketNumber
        self.kind = kind
        self.message = message
        self.createdAt = createdAt
        self.readAt = readAt
    }

    /// The notification about an SLA alarm on a ticket.
    public static func about(_ alarm: SLAAlarm, on ticket: Ticket, to person: UUID, at now: Date) -> Notification {
        let clock =
            switch alarm.clock {
            case .firstResponse: "first response"
            case .nextUpdate: "next update"
            case .resolution: "resolution"
            }
        let message =
            alarm.level == .warning
            ? "\(ticket.reference) \(ticket.priority.rawValue): the \(clock) is due at \(Timestamp.format(alarm.due))"
            : "\(ticket.reference) \(ticket.priority.rawValue): the \(clock) target was breached at \(Timestamp.format(alarm.due))"
        return Notification(
            personID: person,
            ticketID: ticket.id,
            ticketNumber: ticket.number,
            kind: alarm.level == .warning ? .slaWarning : .slaBreach,
            message: message,
            createdAt: now
        )
    }
}
