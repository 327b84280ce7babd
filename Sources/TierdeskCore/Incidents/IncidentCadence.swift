import Foundation

/// What an active incident's update deadline asks for at an instant: nothing yet, a reminder to the
/// communications lead, or a recorded miss that pages them. Each deadline is reminded once and missed once.
public enum IncidentCadence {
    public enum Due: Sendable, Equatable {
        case reminder(deadline: Date)
        case missed(deadline: Date)
    }

    /// What is due for `incident` at `now` under `policy`. A miss is recorded with
    /// ``afterMiss(_:deadline:policy:at:)``, which moves the deadline past `now`.
    public static func due(_ incident: MajorIncident, policy: IncidentPolicy, at now: Date) -> Due? {
        guard incident.state.isActive, let deadline = incident.nextUpdateDue else { return nil }
        if now >= deadline {
            return incident.missedFor == deadline ? nil : .missed(deadline: deadline)
        }
        let remindAt = deadline.addingTimeInterval(-TimeInterval(policy.reminderMinutes * 60))
        if now >= remindAt, incident.remindedFor != deadline { return .reminder(deadline: deadline) }
        return nil
    }

    /// The incident once the miss of `deadline` is recorded at `now`: every interval that passed without an
    /// update counts as one miss (a desk that was down for three hours of a Sev1 missed three), and the
    /// next deadline is the first interval boundary after `now`, so one late check pages once, not once
    /// per interval.
    public static func afterMiss(_ incident: MajorIncident, deadline: Date, policy: IncidentPolicy, at now: Date)
        -> MajorIncident
    {
        let interval = policy.updateInterval(incident.severity)
        let missed = Int((now.timeIntervalSince(deadline) / interval).rounded(.down)) + 1
        var next = incident
        next.missedUpdates += max(1, missed)
        next.missedFor = deadline
        next.nextUpdateDue = deadline.addingTimeInterval(Double(max(1, missed)) * interval)
        return next
    }

    /// When `incident` next needs attention, for the job that keeps the cadence.
    public static func nextCheck(_ incident: MajorIncident, policy: IncidentPolicy) -> Date? {
        guard incident.state.isActive, let deadline = incident.nextUpdateDue else { return nil }
        if incident.remindedFor == deadline || incident.missedFor == deadline { return deadline }
        return deadline.addingTimeInterval(-TimeInterval(policy.reminderMinutes * 60))
    }

    /// The deadline after an update sent at `now`: one interval on, or none once service is restored.
    public static func nextDeadline(
        after now: Date,
        state: MajorIncident.State,
        severity: Severity,
        policy: IncidentPolicy
    ) -> Date? {
        state.isActive ? now.addingTimeInterval(policy.updateInterval(severity)) : nil
    }
}
