import Foundation

/// Decides whether an incoming message may be answered automatically (RFC 3834), so that Tierdesk and an
/// auto-responder never write to each other for ever.
public enum LoopGuard {
    /// What the guard makes of a message.
    public enum Verdict: Sendable, Equatable {
        /// A person wrote it; an automatic answer is fine.
        case answerable
        /// A machine wrote it or it went to a list; the reason names the header.
        case doNotAnswer(String)

        public var reason: String? {
            if case .doNotAnswer(let reason) = self { return reason }
            return nil
        }
    }

    /// Senders that are never answered automatically (local parts, compared without case).
    static let machineSenders: Set<String> = [
        "mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply",
    ]

    /// Checks the headers in the order RFC 3834 gives them, then the sender. A repeated header counts if
    /// any of its copies says the message is automatic: the first copy may be a decoy.
    public static func verdict(for message: MailMessage, threading: MailThreading) -> Verdict {
        for value in message.headerValues("Auto-Submitted").map({ $0.trimmingWhitespace().lowercased() })
        where !value.hasPrefix("no") {
            return .doNotAnswer("Auto-Submitted: \(value.prefix(40))")
        }
        for value in message.headerValues("Precedence").map({ $0.trimmingWhitespace().lowercased() })
        where ["bulk", "list", "junk", "auto_reply"].contains(value) {
            return .doNotAnswer("Precedence: \(value)")
        }
        if message.header("X-Loop") != nil { return .doNotAnswer("X-Loop") }
        if message.header("X-Auto-Response-Suppress") != nil { return .doNotAnswer("X-Auto-Response-Suppress") }
        if message.header("List-Id") != nil || message.header("List-Unsubscribe") != nil {
            return .doNotAnswer("a mailing list")
        }
        if message.headerValues("Return-Path").contains(where: { $0.filter { !$0.isWhitespace } == "<>" }) {
            return .doNotAnswer("Return-Path: <>")
        }
        if message.headerValues("Content-Type").contains(where: { $0.lowercased().contains("multipart/report") }) {
            return .doNotAnswer("a delivery or read report")
        }
        if isMachineSender(message.from?.address) {
            return .doNotAnswer("sent by \(message.from?.address.lowercased() ?? "")")
        }
        if threading.isOwn(messageID: message.messageID) { return .doNotAnswer("our own message") }
        return .answerable
    }

    /// Whether an address belongs to a mail system rather than a person.
    public static func isMachineSender(_ address: String?) -> Bool {
        localPart(address).map(machineSenders.contains) ?? false
    }

    private static func localPart(_ address: String?) -> String? {
        address?.split(separator: "@").first?.lowercased()
    }

    /// Whether the message is a bounce: a delivery status report or mail from a mailer daemon.
    public static func isBounce(_ message: MailMessage) -> Bool {
        let type = message.header("Content-Type")?.lowercased() ?? ""
        if type.contains("multipart/report"), type.contains("delivery-status") { return true }
        let local = localPart(message.from?.address)
        return local == "mailer-daemon" || local == "postmaster"
    }
}
