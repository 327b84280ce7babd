import Foundation

/// How major incidents are run: the update cadence per severity, the reminder before each update, when a
/// review is required, and when an incident is declared without anyone asking. Admins edit it; the defaults
/// follow the operating model: Sev1 updates every hour, Sev2 every four hours.
public struct IncidentPolicy: Sendable, Equatable, Codable {
    /// Minutes between updates of a Sev1 incident.
    public var sev1UpdateMinutes: Int
    /// Minutes between updates of a Sev2 incident (and of a Sev3 one declared by hand).
    public var sev2UpdateMinutes: Int
    /// Minutes before an update is due that the communications lead is reminded.
    public var reminderMinutes: Int
    /// Whether a Sev2 incident needs a review before it can be closed (a Sev1 always does).
    public var reviewRequiredForSev2: Bool
    /// Whether a ticket that becomes Sev1 declares an incident when no open one covers it.
    public var declareOnSev1: Bool
    /// Declare when this many tickets are opened on one service within ``burstMinutes``; 0 turns it off.
    public var burstTickets: Int
    public var burstMinutes: Int
    /// The update text of each state.
    public var templates: IncidentTemplates

    public init(
        sev1UpdateMinutes: Int = 60,
        sev2UpdateMinutes: Int = 240,
        reminderMinutes: Int = 10,
        reviewRequiredForSev2: Bool = false,
        declareOnSev1: Bool = true,
        burstTickets: Int = 5,
        burstMinutes: Int = 15,
        templates: IncidentTemplates = IncidentTemplates()
    ) {
        self.sev1UpdateMinutes = sev1UpdateMinutes
        self.sev2UpdateMinutes = sev2UpdateMinutes
        self.reminderMinutes = reminderMinutes
        self.reviewRequiredForSev2 = reviewRequiredForSev2
        self.declareOnSev1 = declareOnSev1
        self.burstTickets = burstTickets
        self.burstMinutes = burstMinutes
        self.templates = templates
    }

    /// The time between updates at `severity`.
    public func updateInterval(_ severity: Severity) -> TimeInterval {
        TimeInterval((severity == .sev1 ? sev1UpdateMinutes : sev2UpdateMinutes) * 60)
    }

    /// Whether an incident of `severity` may be closed only with its review written.
    public func reviewRequired(_ severity: Severity) -> Bool {
        severity == .sev1 || (severity == .sev2 && reviewRequiredForSev2)
    }

    /// The policy if its numbers make sense, or the fields that do not.
    public func checked() throws(ValidationFailure) -> IncidentPolicy {
        var errors: [FieldError] = []
        for (field, value) in [("sev1UpdateMinutes", sev1UpdateMinutes), ("sev2UpdateMinutes", sev2UpdateMinutes)]
        where !(5...1440).contains(value) {
            errors.append(FieldError(field: field, message: "must be between 5 and 1440 minutes (got \(value))"))
        }
        let shortest = min(sev1UpdateMinutes, sev2UpdateMinutes)
        if reminderMinutes < 0 || reminderMinutes >= shortest {
            errors.append(
                FieldError(
                    field: "reminderMinutes",
                    message: "must be at least 0 and shorter than the shortest update interval (\(shortest) minutes)"
                )
            )
        }
        if !(0...1000).contains(burstTickets) {
            errors.append(FieldError(field: "burstTickets", message: "must be between 0 (off) and 1000"))
        }
        if !(1...1440).contains(burstMinutes) {
            errors.append(FieldError(field: "burstMinutes", message: "must be between 1 and 1440 minutes"))
        }
        for (field, text) in [
            ("investigating", templates.investigating), ("identified", templates.identified),
            ("monitoring", templates.monitoring), ("resolved", templates.resolved), ("review", templates.review),
        ] where text.trimmingWhitespace().isEmpty || text.count > IncidentTemplates.maxLength {
            errors.append(
                FieldError(
                    field: "templates.\(field)",
                    message: "must not be empty and at most \(IncidentTemplates.maxLength) characters"
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return self
    }
}
