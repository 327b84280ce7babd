import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// Changes SLA settings for every channel: one transaction for the change, then the open tickets'
/// deadlines and alarms are recomputed and the SLA timer is woken.
struct SLASettingsDesk: Sendable {
    let clock: any Clock
    let logger: Logger
    let tickets: TicketRepository
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let sla: SLASettings
    let slaWakeUps: WakeUps

    /// Removes a calendar, unless it is built in or counts working hours for time off in lieu.
    func removeCalendar(named name: String, by actor: Actor) async throws -> (SLAConfiguration, Int) {
        try DirectoryDesk.requireConfigure(actor)
        guard name != BusinessCalendar.twentyFourSevenName else {
            throw TierdeskError.invalid(field: "name", "24x7 is built in and cannot be removed")
        }
        if try await settings.paging().workingHoursCalendarName == name {
            throw TierdeskError.invalid(
                field: "name",
                "time off in lieu counts working hours in this calendar; name another workingHoursCalendar in the paging settings first"
            )
        }
        // Checked in the transaction that removes it, against the stored settings.
        return try await update { configuration in
            guard configuration.calendars[name] != nil else {
                throw TierdeskError.notFound("No calendar is named \(name.prefix(64)).")
            }
            return try configuration.removing(calendar: name)
        }
    }

    /// The configuration as stored now.
    func current() async throws -> SLAConfiguration {
        try await sla.refresh(at: clock.now())
        return sla.current
    }

    /// Applies `change`; returns the new configuration and how many open tickets got new deadlines or alarms.
    /// Invalid settings are refused with every offending field named. A save that changes nothing (a form
    /// sent again unchanged) recomputes nothing.
    func update(_ change: @escaping @Sendable (SLAConfiguration) throws -> SLAConfiguration) async throws -> (
        SLAConfiguration, Int
    ) {
        let configuration: SLAConfiguration
        let changed: Bool
        do {
            (configuration, changed) = try await sla.update(settings, at: clock.now(), change)
        } catch let failure as ValidationFailure {
            throw TierdeskError.invalid(failure)
        }
        guard changed else { return (configuration, 0) }
        let count = try await tickets.replanOpenTickets(planner: sla)
        slaWakeUps.signal()
        logger.notice("SLA settings changed", metadata: ["recomputedTickets": "\(count)"])
        return (configuration, count)
    }

    /// A policy's scope must name a service or organisation that exists.
    func checkScope(_ scope: SLAPolicySpec.Scope?) async throws {
        if let id = scope?.serviceId, try await directory.service(id) == nil {
            throw TierdeskError.invalid(field: "scope.serviceId", "no service has the id \(id.uuidString)")
        }
        if let id = scope?.organisationId, try await directory.organisation(id) == nil {
            throw TierdeskError.invalid(field: "scope.organisationId", "no organisation has the id \(id.uuidString)")
        }
    }
}
