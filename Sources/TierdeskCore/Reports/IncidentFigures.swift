import Foundation

/// The major incidents of a period: how many were declared, how well their communication cadence was kept,
/// how long they lasted and whether their reviews were written.
public struct IncidentFigures: Sendable, Equatable {
    /// Incidents declared in the period.
    public var declared: Int
    public var sev1: Int
    public var sev2: Int
    /// Updates sent in the period about any incident.
    public var updatesSent: Int
    /// Update deadlines missed by the incidents declared in the period.
    public var updatesMissed: Int
    /// Mean seconds from declaration to resolution over those resolved; nil without any.
    public var meanSecondsToResolve: Double?
    /// Incidents declared in the period, resolved, that still lack the review their severity requires.
    public var reviewsMissing: Int

    /// - Parameters:
    ///   - incidents: the incidents declared in the period (already narrowed to the report's filter).
    ///   - updatesSent: the number of updates sent in the period.
    ///   - reviewed: the incidents with a written review.
    public init(incidents: [MajorIncident], updatesSent: Int, reviewed: Set<UUID>, policy: IncidentPolicy) {
        declared = incidents.count
        sev1 = incidents.count { $0.severity == .sev1 }
        sev2 = incidents.count { $0.severity == .sev2 }
        self.updatesSent = updatesSent
        updatesMissed = incidents.reduce(0) { $0 + $1.missedUpdates }
        let durations = incidents.compactMap { incident in
            incident.resolvedAt.map { $0.timeIntervalSince(incident.declaredAt) }
        }
        meanSecondsToResolve = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count)
        reviewsMissing = incidents.count { incident in
            !incident.state.isActive && policy.reviewRequired(incident.severity) && !reviewed.contains(incident.id)
        }
    }

    /// Whether an incident counts under `filter`: its organisations and services, when the filter names one.
    public static func matches(_ incident: MajorIncident, _ filter: ReportFilter) -> Bool {
        (filter.organisationID.map(incident.organisationIDs.contains) ?? true)
            && (filter.serviceID.map(incident.serviceIDs.contains) ?? true)
    }
}
