import Foundation
import TierdeskCore
import TierdeskStore

extension IncidentDesk {
    /// The customer version of the review as the review template writes it.
    func reviewText(_ incident: MajorIncident, _ review: PostIncidentReview, setting: Setting) async throws
        -> String
    {
        let zone = setting.zone
        let updates = try await incidents.updates(of: [incident.id])[incident.id] ?? []
        let local = { (instant: Date) in DisplayTime.local(instant, in: zone) + " " + zone.identifier }
        var context: [String: Any] = [
            "reference": incident.reference,
            "title": incident.publicTitle,
            "services": setting.services.joined(separator: ", "),
            "started": local(incident.declaredAt),
            "resolved": incident.resolvedAt.map(local) ?? "now",
            "duration": MajorIncident.durationText(incident.duration(at: clock.now())),
            "summary": review.customerText,
            "impact": review.impact,
            "rootCause": review.rootCause,
        ]
        let items = review.actionItems.map { item in "- \(item.title)" + (item.due.map { " (by \($0))" } ?? "") }
        if !items.isEmpty { context["actionItems"] = items.joined(separator: "\n") }
        let timeline = updates.map { "\(local($0.at)) \(IncidentBroadcast.label($0.state)): \($0.message)" }
        if !timeline.isEmpty { context["timeline"] = timeline.joined(separator: "\n\n") }
        let template = try await policy().templates.review
        do { return try IncidentText.render(template, context: context, field: "templates.review") } catch {
            throw TierdeskError.invalid(ValidationFailure([error]))
        }
    }

    /// Shares the written review of a resolved incident with its subscribers, once each (by mail, webhook and
    /// chat, as the review template writes it). Returns how many subscribers it is for; sharing again sends
    /// nobody a second copy (the outbox keys name incident and subscriber).
    func shareReview(_ reference: String, by actor: Actor) async throws -> Int {
        try Self.require(.runIncidents, actor)
        let incident = try await found(reference)
        guard !incident.state.isActive else {
            throw TierdeskError.conflict("\(incident.reference) is not resolved yet; share its review once it is.")
        }
        guard let stored = try await incidents.review(of: incident.id) else {
            throw TierdeskError.conflict("\(incident.reference) has no review yet; write it first.")
        }
        let setting = try await setting(of: incident)
        let text = try await reviewText(incident, stored.review, setting: setting)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let now = clock.now()
        let body = { (kind: IncidentSubscriber.Kind) throws -> Data in
            switch kind {
            case .email, .webhook:
                try encoder.encode(
                    ReviewShareBody(
                        event: "incident.review",
                        reference: incident.reference,
                        title: incident.publicTitle,
                        services: setting.services,
                        text: text
                    )
                )
            case .slack: try IncidentBroadcast.slackText(text)
            case .teams: try IncidentBroadcast.teamsBody(text: text, statusURL: statusURL)
            }
        }
        let messages = try await subscriberMessages(
            for: incident,
            key: { "incident-review:\(incident.id.uuidString.lowercased()):\($0.id.uuidString.lowercased())" },
            subject: "Post-incident review: \(incident.publicTitle) [\(incident.reference)]",
            mailText: text,
            at: now,
            body: body
        )
        let entry = IncidentEntry(
            incidentID: incident.id,
            at: now,
            kind: .reviewShared,
            actorID: actor.personID,
            text: "Review shared with \(messages.count) subscriber\(messages.count == 1 ? "" : "s")."
        )
        _ = try await saved(
            incident,
            expecting: incident.version,
            IncidentRepository.Change(entries: [entry], messages: messages),
            by: actor
        )
        return messages.count
    }

    /// The JSON a webhook subscriber receives with a shared review.
    struct ReviewShareBody: Codable, Equatable {
        var event: String
        var reference: String
        var title: String
        var services: [String]
        var text: String
    }
}
