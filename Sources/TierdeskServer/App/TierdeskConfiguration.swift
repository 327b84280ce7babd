import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// How one Tierdesk process is set up: its database, clock and logger, and the settings read from the
/// environment at start-up. ``buildApplication(_:host:port:onServerRunning:)`` turns it into a server.
public struct TierdeskConfiguration: Sendable {
    public var database: TierdeskDatabase
    public var clock: any Clock
    public var logger: Logger
    /// Set `Secure` on cookies; on when Tierdesk is served over TLS.
    public var secureCookies = false
    /// Cost of password hashes; 10 in production, 4 in tests.
    public var bcryptCost: UInt8 = 10
    /// Outgoing mail; nil when no SMTP relay is configured (then no ticket mail is queued).
    public var mail: MailConfiguration?
    /// Where people reach Tierdesk, for links in pages and calendar feeds.
    public var baseURL: String?
    /// How long a claim on outbox messages lasts before another sender may take them over.
    public var outboxLease: TimeInterval = 120
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: TrustedProxies = .none
    /// The scrape token of `/metrics` for scrapers on other machines; nil serves only loopback scrapers.
    public var metricsToken: String?
    /// How background jobs sleep between passes; tests pass one that waits until cancelled.
    public var jobSleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    public init(database: TierdeskDatabase, clock: any Clock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }
}
