import TierdeskCore
import TierdeskStore

/// What this instance caches of data other instances may change: the admin settings, the SLA configuration,
/// contracts' terms, and who an API or integration token stands for.
struct SharedCaches: Sendable {
    let settings: [any ExpiringCache]
    let sla: SLASettings
    let identities: TokenCache<Person>
    let integrationTokens: TokenCache<Integration>
    /// The SLA timer recomputes open tickets when the configuration it reads again has changed.
    let slaWakeUps: WakeUps

    /// Another instance changed something: read everything again on next use.
    func forgetAll() {
        for cache in settings { cache.expire() }
        sla.expire()
        identities.forgetAll()
        integrationTokens.forgetAll()
        slaWakeUps.signal()
    }
}

/// A cache that can be told its copy is stale.
protocol ExpiringCache: Sendable {
    func expire()
}

extension SettingCache: ExpiringCache {}
