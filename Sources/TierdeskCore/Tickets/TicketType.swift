/// What kind of request a ticket is.
public enum TicketType: String, Codable, Sendable, CaseIterable {
    case incident
    case serviceRequest = "service_request"
    case problem
    case alert
}

/// The channel through which a ticket arrived.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case portal, email, api, console, phone, monitoring
}
