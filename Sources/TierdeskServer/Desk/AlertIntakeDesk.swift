import Foundation
import TierdeskCore
import TierdeskStore

/// Takes monitoring alerts from every source: decodes nothing itself, but turns signals into ticket
/// writes as the configured reporter, with the rules, matrix and services in force.
struct AlertIntakeDesk: Sendable {
    let clock: any Clock
    let slaWakeUps: WakeUps
    let alerts: AlertRepository
    let alertIntake: SettingCache<AlertIntakeInputs>
    let settings: SettingsRepository
    let directory: DirectoryRepository
    let groups: SupportGroupRepository
    let ticketEffects: TicketWriteEffects
    let ticketDesk: TicketDesk

    private var now: Date { clock.now() }

    /// Applies one request's signals in one transaction.
    func ingest(_ signals: [AlertSignal]) async throws -> [AlertRepository.Outcome] {
        guard !signals.isEmpty else { return [] }
        let ticketing = try await ticketing()
        let outcomes = try await alerts.ingest(signals, with: ticketing, effects: ticketEffects)
        if outcomes.contains(where: { $0.kind != .repeated && $0.kind != .ignored && $0.kind != .remembered }) {
            slaWakeUps.signal()
        }
        return outcomes
    }

    /// The reporter, settings, rules and services alert tickets are written with.
    private func ticketing() async throws -> AlertTicketing {
        let now = now
        let inputs = try await alertIntake.value(at: now)
        guard let reporter = inputs.reporter else {
            throw TierdeskError.unavailable(
                "Alert intake is not set up: choose the agent account alerts are reported as (reporterId in /api/v1/settings/alert-intake). The source may send again later."
            )
        }
        let workflow = try await ticketDesk.workflow()
        let (rules, articles) = try await ticketDesk.triage()
        return try AlertTicketing(
            workflow: workflow,
            rules: rules,
            articles: articles,
            settings: inputs.settings,
            reporter: reporter,
            services: inputs.services,
            now: now
        )
    }
}

/// The alert intake settings with the reporter and services they name, read together and kept for a few
/// seconds (see ``SettingCache``): a busy source costs no directory reads per request.
struct AlertIntakeInputs: Sendable {
    var settings: AlertIntakeSettings
    var reporter: Person?
    /// Services by lower-case name.
    var services: [String: Service]

    static func load(_ settings: SettingsRepository, _ directory: DirectoryRepository) async throws -> AlertIntakeInputs
    {
        let stored = try await settings.alertIntake()
        return try await with(
            stored,
            reporter: try await stored.reporterId.asyncFlatMap { try await directory.person($0) },
            directory
        )
    }

    /// The inputs for settings and a reporter already in hand (just checked and saved).
    static func with(_ stored: AlertIntakeSettings, reporter: Person?, _ directory: DirectoryRepository) async throws
        -> AlertIntakeInputs
    {
        var services: [String: Service] = [:]
        for service in try await directory.services() { services[service.name.lowercased()] = service }
        return AlertIntakeInputs(settings: stored, reporter: reporter, services: services)
    }
}
