import Foundation
import TierdeskCore

/// The public status page as its template reads it.
struct StatusPageView {
    struct Update {
        var at: String
        var atISO: String
        var state: String
        var message: String
    }
    struct Incident {
        var reference: String
        var title: String
        var impact: String
        var impactClass: String
        var state: String
        var services: String
        var startedAt: String
        var resolvedAt: String?
        var updates: [Update]
    }
    struct Day {
        var date: String
        var impact: String
        var impactClass: String
    }
    struct Service {
        var name: String
        var impact: String
        var impactClass: String
        var days: [Day]
    }
    var title = "Service status"
    var current: [Incident]
    var allOperational: Bool
    var services: [Service]
    var generatedAt: String

    init(_ page: StatusPage, zone: TimeZone) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        let local = { (date: Date) in formatter.string(from: date) }
        current = page.current.map { incident in
            Incident(
                reference: incident.reference,
                title: incident.title,
                impact: incident.impact.label,
                impactClass: "impact-\(incident.impact.rawValue)",
                state: IncidentBroadcast.label(incident.state),
                services: incident.services.joined(separator: ", "),
                startedAt: local(incident.startedAt),
                resolvedAt: incident.resolvedAt.map(local),
                updates: incident.updates.map {
                    Update(
                        at: local($0.at),
                        atISO: Timestamp.format($0.at),
                        state: IncidentBroadcast.label($0.state),
                        message: $0.message
                    )
                }
            )
        }
        allOperational = page.current.allSatisfy { $0.resolvedAt != nil }
        services = page.services.map { service in
            Service(
                name: service.name,
                impact: service.impact.label,
                impactClass: "impact-\(service.impact.rawValue)",
                days: service.days.map {
                    Day(date: $0.date.description, impact: $0.impact.label, impactClass: "impact-\($0.impact.rawValue)")
                }
            )
        }
        generatedAt = local(page.generatedAt)
    }
}
