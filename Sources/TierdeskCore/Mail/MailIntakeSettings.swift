import Foundation

/// How incoming mail is taken: what happens to senders nobody knows, where their tickets go, and how many
/// automatic answers one address may get in an hour.
public struct MailIntakeSettings: Sendable, Equatable, Codable {
    /// What mail from an address no person has does.
    public enum UnknownSenders: String, StringEnum, Sendable {
        /// Opens a ticket, and a requester account in ``MailIntakeSettings/organisationId``.
        case open
        /// Refuses the mail; the mail server bounces it.
        case refuse
    }

    public var unknownSenders: UnknownSenders
    /// The organisation of requesters made from unknown senders; required with `open`.
    public var organisationId: UUID?
    /// The service of tickets opened by mail, if any.
    public var serviceId: UUID?
    /// Most automatic answers (acknowledgements, notices) one address gets per hour; the rest are skipped.
    public var autoRepliesPerHour: Int
    /// Most new tickets one sender opens by mail per hour. Further mail that answers no ticket is held as an
    /// internal note on the sender's newest ticket for an agent to review: kept, never dropped.
    public var newTicketsPerHour: Int

    public static let defaultNewTicketsPerHour = 30

    public init(
        unknownSenders: UnknownSenders = .refuse,
        organisationId: UUID? = nil,
        serviceId: UUID? = nil,
        autoRepliesPerHour: Int = 5,
        newTicketsPerHour: Int = Self.defaultNewTicketsPerHour
    ) {
        self.unknownSenders = unknownSenders
        self.organisationId = organisationId
        self.serviceId = serviceId
        self.autoRepliesPerHour = autoRepliesPerHour
        self.newTicketsPerHour = newTicketsPerHour
    }

    /// Settings stored before a field existed take its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unknownSenders = try container.decode(UnknownSenders.self, forKey: .unknownSenders)
        organisationId = try container.decodeIfPresent(UUID.self, forKey: .organisationId)
        serviceId = try container.decodeIfPresent(UUID.self, forKey: .serviceId)
        autoRepliesPerHour = try container.decode(Int.self, forKey: .autoRepliesPerHour)
        newTicketsPerHour =
            try container.decodeIfPresent(Int.self, forKey: .newTicketsPerHour) ?? Self.defaultNewTicketsPerHour
    }

    /// Checks the settings as a whole; every offending field is named.
    public func validate() throws(ValidationFailure) {
        var errors: [FieldError] = []
        if unknownSenders == .open, organisationId == nil {
            errors.append(FieldError(field: "organisationId", message: "is required when unknown senders open tickets"))
        }
        if !(0...1000).contains(autoRepliesPerHour) {
            errors.append(
                FieldError(
                    field: "autoRepliesPerHour",
                    message: "must be between 0 and 1000 (got \(autoRepliesPerHour))"
                )
            )
        }
        if !(1...10000).contains(newTicketsPerHour) {
            errors.append(
                FieldError(
                    field: "newTicketsPerHour",
                    message: "must be between 1 and 10000 (got \(newTicketsPerHour))"
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
