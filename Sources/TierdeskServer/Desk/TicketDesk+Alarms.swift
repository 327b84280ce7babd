import Foundation
import TierdeskCore
import TierdeskStore

/// SLA alarms as the SLA timer job works them: each fired alarm is recorded, escalated as the ticket's
/// policy says and its effects queued, in the transaction that claims it.
extension TicketDesk {
    /// When the next pending alarm falls due, if any.
    func nextAlarmAt() async throws -> Date? {
        try await slaAlarms.nextFireAt()
    }

    /// Fires up to `limit` alarms due at `now`.
    func fireDueAlarms(at now: Date, limit: Int) async throws -> [FiredSLAAlarm] {
        try await slaAlarms.fireDue(at: now, limit: limit, effects: ticketEffects)
    }

    /// Brings the SLA settings up to date and, when another instance changed them, recomputes every open
    /// ticket's deadline and alarms; returns how many changed, or nil when nothing was asked for.
    func replanIfChangedElsewhere(at now: Date) async throws -> Int? {
        try await sla.refresh(at: now)
        guard sla.takeReplanRequest() else { return nil }
        return try await tickets.replanOpenTickets(planner: sla)
    }
}
