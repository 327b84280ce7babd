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

    public init(unknownSenders: UnknownSenders = .refuse, organisationId: UUID? = nil, serviceId: UUID? = nil, autoRepliesPerHour: Int = 5) {
        self.unknownSenders = unknownSenders
        self.organisationId = organisationId
        self.serviceId = serviceId
        self.autoRepliesPerHour = autoRepliesPerHour
    }

    /// Checks the settings as a whole; every offending field is named.
    public func validate() throws(ValidationFailure) {
        var errors: [FieldError] = []
        if unknownSenders == .open, organisationId == nil {
            errors.append(FieldError(field: "organisationId", message: "is required when unknown senders open tickets"))
        }
        if !(0...1000).contains(autoRepliesPerHour) {
            errors.append(FieldError(field: "autoRepliesPerHour", message: "must be between 0 and 1000 (got \(autoRepliesPerHour))"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
