import Foundation
import TierdeskCore
import TierdeskStore

/// Report mail to managers through the outbox: each checklist breach once, and the weekly digest on Monday
/// morning to those who did not opt out. Outbox keys make both exactly-once, on any number of instances.
extension ReportDesk {
    /// How many days back a ticket's breach is still raised.
    static let alertDays = 2
    /// How far ahead on-call gaps are raised.
    static let gapHorizon: TimeInterval = 7 * 86_400
    /// The local time on Monday the digest of the week before is sent.
    static let digestHour = 8

    /// Queues a mail to every active manager for each checklist breach not raised before; returns the
    /// breaches found. Without a mail relay nothing is queued.
    @discardableResult
    func raiseChecklistAlerts(at now: Date) async throws -> [ChecklistAlert] {
        guard let identity = mailIdentity else { return [] }
        let zone = try await homeTimeZone()
        let recent = ReportPeriod.last(Self.alertDays, endingAt: now, in: zone)
        let thisWeek = ReportPeriod.containing(now, kind: .week, in: zone)
        let report = try await compute(
            ReportPeriod.spanning(thisWeek.previous, recent),
            filter: ReportFilter(),
            trend: 1,
            at: now,
            detail: .tickets
        )
        var alerts = ChecklistAlert.alerts(in: report.operating, recent: recent, lastWeek: thisWeek.previous)
        // Gaps are cut at the week's start, so an ongoing one keeps its key (and is raised once) all week.
        let horizon = thisWeek.start..<now.addingTimeInterval(Self.gapHorizon)
        let stored = try await oncall.storedSchedules()
        let schedules = try await oncall.schedules(of: stored, from: horizon.lowerBound, until: horizon.upperBound)
        for schedule in stored {
            guard let built = schedules[schedule.id] else { continue }
            let staffed = ScheduleCoverage.staffedRoles(of: built)
            for gap in built.coverage(in: horizon).gaps where gap.end > now && staffed.contains(gap.role) {
                alerts.append(
                    ChecklistAlert.coverageGap(gap, schedule: schedule.spec.name, scheduleID: schedule.id, in: zone)
                )
            }
        }
        let link = (identity.baseURL ?? "") + "/console/reports"
        try await mailManagers(
            alerts.map { alert in
                (
                    key: "checklist:\(alert.key)",
                    subject: alert.subject,
                    text: alert.text + "\n\nThe reports: \(link)",
                    ticket: alert.ticketNumber
                )
            },
            optedOut: [],
            identity: identity,
            at: now
        )
        return alerts
    }

    /// Monday `digestHour`:00 of the week holding `now`, in `zone`.
    static func digestTime(ofWeekHolding now: Date, in zone: TimeZone) -> Date {
        let monday = ReportPeriod.containing(now, kind: .week, in: zone).first
        return LocalDateTime.instant("\(monday)T" + String(format: "%02d:00", digestHour), in: zone)!
    }

    /// On Monday morning (for the 24 hours from `digestHour`), queues last week's digest to every active manager who
    /// did not opt out; returns when the next one is due.
    func sendDigestIfDue(at now: Date) async throws -> Date {
        let zone = try await homeTimeZone()
        let due = Self.digestTime(ofWeekHolding: now, in: zone)
        let next = Self.digestTime(ofWeekHolding: due.addingTimeInterval(7 * 86_400), in: zone)
        guard let identity = mailIdentity, now >= due else { return now < due ? due : next }
        guard now < due.addingTimeInterval(86_400) else { return next }
        let week = ReportPeriod.containing(now, kind: .week, in: zone).previous
        let report = try await compute(
            week,
            filter: ReportFilter(),
            trend: OperatingReport.trendLength,
            at: now,
            detail: .tickets
        )
        let digest = ReportDigest.mail(
            of: report.operating,
            period: week,
            link: (identity.baseURL ?? "") + "/console/reports?period=\(week.label)"
        )
        try await mailManagers(
            [(key: "digest:\(week.label)", subject: digest.subject, text: digest.text, ticket: nil)],
            optedOut: try await settings.digestOptOuts(),
            identity: identity,
            at: now
        )
        return next
    }

    /// Whether `actor` gets the weekly digest; only managers get one.
    func digestSubscription(for actor: Actor) async throws -> Bool {
        try Self.requireManager(actor)
        return !(try await settings.digestOptOuts().contains(actor.personID))
    }

    /// Starts or stops the weekly digest for `actor`.
    func setDigest(_ subscribed: Bool, for actor: Actor) async throws {
        try Self.requireManager(actor)
        try await settings.setDigest(subscribed, for: actor.personID)
    }

    static func requireManager(_ actor: Actor) throws {
        guard actor.has(.manager) else { throw TierdeskError.forbidden("Only managers get the weekly digest.") }
    }

    /// One mail per message and active manager (not opted out), each under its own outbox key.
    private func mailManagers(
        _ messages: [(key: String, subject: String, text: String, ticket: Int?)],
        optedOut: Set<UUID>,
        identity: DeskMailIdentity,
        at now: Date
    ) async throws {
        guard !messages.isEmpty else { return }
        let managers = try await directory.people(role: .manager).filter { $0.active && !optedOut.contains($0.id) }
        let domain = identity.threading.domain
        var queued: [OutboxMessage] = []
        for message in messages {
            for manager in managers {
                let mail = OutgoingMail(
                    from: identity.mailbox,
                    to: [MailAddress(name: manager.name, address: manager.email)],
                    subject: message.subject,
                    messageID: "report-\(UUID().uuidString.lowercased())@\(domain)",
                    autoSubmitted: .autoGenerated,
                    date: now,
                    text: message.text,
                    ticketNumber: message.ticket
                )
                queued.append(
                    try OutboxMessage.mail(
                        mail,
                        key: "\(message.key):\(manager.id.uuidString)",
                        automatic: true,
                        ticketID: nil,
                        at: now
                    )
                )
            }
        }
        try await outbox.enqueue(queued)
    }
}
