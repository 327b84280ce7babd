import Foundation
import Hummingbird
import Logging
import NIOCore
import TierdeskCore

/// Who is calling, and how they proved it.
struct Identity: Sendable {
    enum Proof: Sendable {
        /// A browser session; forms must carry its CSRF token.
        case session(tokenHash: String, csrfToken: String)
        /// A Bearer API token.
        case apiToken
    }

    var person: Person
    var proof: Proof
    /// The time zone the person chose, read for the console's pages only (their times are shown in it);
    /// nil elsewhere, or when none was chosen (the browser's then).
    var timeZone: TimeZone?
    /// The person's unread notifications for the console's header, counted up to ``unreadCap``; nil
    /// elsewhere.
    var unreadNotifications: Int?

    /// The header counts unread notifications up to this many ("99+").
    static let unreadCap = 100

    var actor: Actor { person.actor }
}

/// The per-request context: the caller's identity, set by ``AuthenticationMiddleware``, and the client address.
struct TierdeskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Identity?
    /// The client's address, used for login throttling; ``ClientAddressMiddleware`` puts the client's own
    /// address here when a trusted proxy forwarded the request.
    var clientAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Attachments may be 10 MiB; everything else is bounded more tightly where it is read.
    var maxUploadSize: Int { Self.uploadLimit }
    static let uploadLimit = Limits.attachmentBytes + 64 * 1024
}
