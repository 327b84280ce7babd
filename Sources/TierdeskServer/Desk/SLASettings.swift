import Foundation
import Synchronization
import TierdeskCore
import TierdeskStore

/// The SLA calendars and policies in force (with the policies support contracts bring), as the store's planner: every ticket write and fired alarm
/// is planned with the configuration last read. The ticket desk and the SLA timer refresh it before
/// they write, so an edit made on another instance takes effect once this one hears of it (on PostgreSQL,
/// see ``ChangeListener``) or within ``SettingCache/lifetime``.
/// Tickets this instance wrote in that window were planned with the old settings; when a refresh finds
/// new settings it asks the SLA timer to recompute the open tickets (``takeReplanRequest()``).
final class SLASettings: SLAPlanner {
    private let cache: SettingCache<SLAConfiguration>
    private let replanRequested = Atomic<Bool>(false)

    init(_ settings: SettingsRepository, billing: BillingRepository, at now: Date) async throws {
        cache = SettingCache {
            let configuration = try await settings.slaConfiguration()
            let terms = try await BillingTerms.load(settings, billing, calendars: configuration.calendars)
            return configuration.keeping(terms.policies)
        }
        _ = try await cache.value(at: now)
    }

    /// The configuration in force.
    var current: SLAConfiguration { cache.last ?? .standard }

    /// Reads the configuration again now (after a contract changed here); says whether it changed.
    func reload(at now: Date) async throws -> Bool {
        let before = cache.last
        cache.expire()
        return try await cache.value(at: now) != before
    }

    /// Makes the next ``refresh(at:)`` read the configuration again (another instance changed it).
    func expire() {
        cache.expire()
    }

    /// Reads the configuration again if the cached one has expired.
    func refresh(at now: Date) async throws {
        let before = cache.last
        let after = try await cache.value(at: now)
        if let before, before != after { replanRequested.store(true, ordering: .relaxed) }
    }

    /// Whether another instance changed the settings since the last call (and this one may have planned
    /// tickets with the old ones).
    func takeReplanRequest() -> Bool {
        replanRequested.exchange(false, ordering: .relaxed)
    }

    /// Changes the stored configuration and puts the result in force here at once; says whether it changed.
    func update(
        _ settings: SettingsRepository,
        at now: Date,
        _ change: @escaping @Sendable (SLAConfiguration) throws -> SLAConfiguration
    ) async throws -> (SLAConfiguration, changed: Bool) {
        let contracts = current.contractPolicies
        let (before, after) = try await settings.updateSLAConfiguration { try change($0.keeping(contracts)) }
        cache.saved(after.keeping(contracts), at: now)
        return (after.keeping(contracts), before.keeping(contracts) != after.keeping(contracts))
    }

    func plan(for ticket: Ticket, history: [TicketEvent]) -> SLAPlan {
        current.plan(for: ticket, history: history)
    }

    func escalation(for ticket: Ticket, at level: SLAAlarm.Level) -> [SLAEscalationAction] {
        current.escalation(for: ticket, at: level)
    }
}
