import Foundation
import Logging
import TierdeskCore
import TierdeskStore

/// Fires SLA alarms when they fall due, and recomputes open tickets when another instance changed the SLA
/// settings. Ticket changes in this instance wake it; claims are exactly-once in the store.
struct SLATimerJob: DueJob {
    let desk: TicketDesk
    let logger: Logger

    var name: String { "SLA timer" }
    var longestSleep: Duration { .seconds(60) }
    /// Alarms claimed per transaction.
    static let batch = 100

    func runDue(at now: Date) async throws -> NextRun {
        if let count = try await desk.replanIfChangedElsewhere(at: now) {
            logger.notice(
                "SLA settings changed on another instance; open tickets recomputed",
                metadata: ["recomputedTickets": "\(count)"]
            )
        }
        // Reading first keeps wake-ups cheap: most ticket changes set no alarm that is due yet.
        guard let first = try await desk.nextAlarmAt() else { return .idle }
        if first > now { return .at(first) }
        let fired = try await desk.fireDueAlarms(at: now, limit: Self.batch)
        for item in fired {
            logger.notice(
                "SLA \(item.alarm.level.rawValue)",
                metadata: [
                    "ticket": "\(item.ticketID)", "clock": "\(item.alarm.clock.rawValue)",
                    "due": "\(Timestamp.format(item.alarm.due))", "notified": "\(item.notified.count)",
                ]
            )
        }
        if fired.count == Self.batch { return .immediately }
        return try await desk.nextAlarmAt().map(NextRun.at) ?? .idle
    }
}
