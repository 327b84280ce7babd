/// What kind of request a ticket is.
public enum TicketType: String, StringEnum, Sendable {
    case incident
    case serviceRequest = "service_request"
    case problem
    case alert
}

/// The channel through which a ticket arrived.
public enum Channel: String, StringEnum, Sendable {
    case portal, email, api, console, phone, monitoring, chat
}
