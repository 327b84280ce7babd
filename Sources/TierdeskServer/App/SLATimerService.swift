import Foundation
import Logging
import ServiceLifecycle
import TierdeskCore
import TierdeskStore

/// Fires SLA alarms when they fall due. It sleeps until the next pending alarm, not on a short fixed
/// interval, and is woken early by ticket changes in this instance; other instances' alarms are picked
/// up within ``longestSleep``. Claims are exactly-once in the store, so several instances may run it.
struct SLATimerService: ServiceLifecycle.Service {
    let alarms: SLAAlarmRepository
    let sla: SLASettings
    let tickets: TicketRepository
    let clock: any TierdeskCore.Clock
    let wakeUps: WakeUps
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// Longest sleep, so alarms set by other instances are not missed for long.
    static let longestSleep: Duration = .seconds(60)
    /// Alarms claimed per transaction.
    static let batch = 100

    func run() async throws {
        try await wakeUps.repeatUntilShutdown(sleep: sleep) { await tick() }
    }

    /// Fires what is due now and says how long to sleep before the next alarm. Errors are logged and retried.
    func tick() async -> Duration {
        let now = clock.now()
        do {
            try await sla.refresh(at: now)
            if sla.takeReplanRequest() {
                let count = try await tickets.replanOpenTickets()
                logger.notice("SLA settings changed on another instance; open tickets recomputed", metadata: ["recomputedTickets": "\(count)"])
            }
            // Reading first keeps wake-ups cheap: most ticket changes set no alarm that is due yet.
            guard let first = try await alarms.nextFireAt() else { return Self.longestSleep }
            if first > now { return Self.pause(until: first, now: now) }
            let fired = try await alarms.fireDue(at: now, limit: Self.batch)
            for item in fired {
                logger.notice("SLA \(item.alarm.level.rawValue)", metadata: ["ticket": "\(item.ticketID)", "clock": "\(item.alarm.clock.rawValue)", "due": "\(Timestamp.format(item.alarm.due))", "notified": "\(item.notified.count)"])
            }
            if fired.count == Self.batch { return .zero }
            guard let next = try await alarms.nextFireAt() else { return Self.longestSleep }
            return Self.pause(until: next, now: clock.now())
        } catch {
            logger.error("SLA timer failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            return .seconds(5)
        }
    }

    /// How long to sleep until `next`, at most ``longestSleep``; a millisecond late rather than early.
    static func pause(until next: Date, now: Date, longest: Duration = longestSleep) -> Duration {
        let seconds = next.timeIntervalSince(now)
        return seconds <= 0 ? .zero : min(.milliseconds(Int64(seconds * 1000) + 1), longest)
    }
}
