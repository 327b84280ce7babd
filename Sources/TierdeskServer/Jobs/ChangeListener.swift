import Logging
import ServiceLifecycle
import TierdeskStore

/// Hears the changes other instances commit (PostgreSQL `LISTEN`, see ``ChangeFeed``) and makes this
/// instance read them again at once: settings, the priority matrix, SLA configuration, contracts, people and
/// revoked tokens take effect everywhere as soon as they are committed, not after a cache's lifetime.
/// Only on PostgreSQL; an SQLite desk is one process.
struct ChangeListener: ServiceLifecycle.Service {
    let feed: ChangeFeed
    let caches: SharedCaches
    let logger: Logger
    /// Called after each change has been applied (tests wait on it).
    var applied: @Sendable (ChangeFeed.Change) async -> Void = { _ in }

    func run() async throws {
        let (caches, applied, logger) = (caches, applied, logger)
        await cancelWhenGracefulShutdown {
            await feed.follow { change in
                caches.forgetAll()
                if case .listening = change { logger.debug("Listening for other instances' changes") }
                await applied(change)
            }
        }
    }
}
