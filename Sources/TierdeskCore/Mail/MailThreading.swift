import Foundation

/// How mail finds its ticket: Tierdesk's own message ids name the ticket (`td-1042-…@desk.example`), and
/// subjects carry the tag `[TD-1042]`.
public struct MailThreading: Sendable, Equatable {
    /// The domain of Tierdesk's message ids, normally the desk address's domain.
    public var domain: String

    public init(domain: String) {
        self.domain = domain.lowercased()
    }

    /// Where an incoming message belongs.
    public enum Target: Sendable, Equatable {
        /// The message answers one of our messages about this ticket.
        case messageID(Int)
        /// The subject carries this ticket's tag.
        case subjectTag(Int)
        /// Nothing ties it to a ticket.
        case none

        public var ticketNumber: Int? {
            switch self {
            case .messageID(let number), .subjectTag(let number): number
            case .none: nil
            }
        }
    }

    /// The thread's root id for a ticket; every message about the ticket references it.
    public func rootID(ticketNumber: Int) -> String {
        "td-\(ticketNumber)@\(domain)"
    }

    /// A message id for one outgoing message about a ticket. `key` tells messages apart (an event id and
    /// the recipient's position), so the same message planned twice gets the same id.
    public func messageID(ticketNumber: Int, key: String) -> String {
        "td-\(ticketNumber)-\(key.lowercased())@\(domain)"
    }

    /// The ticket one of our message ids names, or nil for anyone else's id.
    public func ticketNumber(inMessageID id: String) -> Int? {
        var text = id.trimmingWhitespace().lowercased()
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        guard text.hasPrefix("td-"), text.hasSuffix("@" + domain) else { return nil }
        let local = text.dropFirst(3).dropLast(domain.count + 1)
        let digits = local.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9,
            local.count == digits.count || local.dropFirst(digits.count).first == "-"
        else { return nil }
        return Int(digits)
    }

    /// Whether Tierdesk wrote a message with this id.
    public func isOwn(messageID: String?) -> Bool {
        messageID.map { ticketNumber(inMessageID: $0) != nil } ?? false
    }

    /// Our message ids in `In-Reply-To` first, then in `References` (latest first), then the subject tag.
    public func target(of message: MailMessage) -> Target {
        for id in message.inReplyTo + message.references.reversed() {
            if let number = ticketNumber(inMessageID: id) { return .messageID(number) }
        }
        if let number = Self.tagNumber(in: message.subject) { return .subjectTag(number) }
        return .none
    }

    /// The number in the first `[TD-1042]` tag of a subject.
    public static func tagNumber(in subject: String) -> Int? {
        var rest = Substring(subject)
        while let open = rest.range(of: "[td-", options: .caseInsensitive) {
            let after = rest[open.upperBound...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count <= 9, after.dropFirst(digits.count).first == "]" { return Int(digits) }
            rest = after
        }
        return nil
    }

    /// A subject with the ticket's tag in front, unless it is there already.
    public static func tagged(_ subject: String, ticketNumber: Int) -> String {
        tagNumber(in: subject) == ticketNumber ? subject : "[\(TicketReference.format(ticketNumber))] \(subject)"
    }

    /// A ticket title from a subject: without reply and forward prefixes and without our tag.
    public static func title(fromSubject subject: String) -> String {
        var text = OutgoingMail.singleLine(subject)
        if let number = tagNumber(in: text) {
            text = text.replacingOccurrences(
                of: "[\(TicketReference.format(number))]",
                with: "",
                options: .caseInsensitive
            )
        }
        let prefixes = ["re:", "aw:", "fw:", "fwd:", "wg:", "sv:", "vs:", "antw:", "réf:", "tr:"]
        var changed = true
        while changed {
            changed = false
            text = text.trimmingWhitespace()
            for prefix in prefixes where text.lowercased().hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
                changed = true
            }
        }
        let title = String(text.prefix(TextLimits.title)).trimmingWhitespace()
        return title.isEmpty ? "(no subject)" : title
    }
}
