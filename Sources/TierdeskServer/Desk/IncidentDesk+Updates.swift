import Foundation
import TierdeskCore
import TierdeskStore

extension IncidentDesk {
    /// What the author of an update fills in; the state's template makes the text from it.
    struct UpdateInput: Sendable {
        var version: Int
        var state: MajorIncident.State
        var symptom = ""
        var impact = ""
        var workaround = ""
        var message = ""
        var noChange = false
    }

    /// The text an update would have, without sending it.
    func preview(_ reference: String, _ input: UpdateInput, for actor: Actor) async throws -> String {
        try Self.require(.runIncidents, actor)
        guard input.version >= 1 else {
            throw TierdeskError.invalid(field: "version", "must be the incident's version, 1 or more")
        }
        let incident = try await found(reference)
        return try await composed(incident, input, at: clock.now()).message
    }

    /// Sends an update: it is stored with the incident's new state, queued once for every subscriber, and
    /// the next deadline is set one interval on (none once resolved).
    func post(_ reference: String, _ input: UpdateInput, by actor: Actor) async throws -> (
        MajorIncident, IncidentUpdate
    ) {
        try Self.require(.runIncidents, actor)
        let incident = try await found(reference)
        guard incident.state != .closed else {
            throw TierdeskError.conflict("\(incident.reference) is closed; it takes no more updates.")
        }
        if input.state == .closed {
            throw TierdeskError.invalid(
                field: "state",
                "must be investigating, identified, monitoring or resolved; close the incident instead"
            )
        }
        if input.noChange, input.state != incident.state {
            throw TierdeskError.invalid(
                field: "noChange",
                "a no-change update keeps the state (\(incident.state.rawValue))"
            )
        }
        let now = clock.now()
        var update = try await composed(incident, input, at: now)
        update.authorID = actor.personID
        var next = incident
        next.state = input.state
        next.nextUpdateDue = update.nextUpdateDue
        if input.state == .resolved, incident.resolvedAt == nil { next.resolvedAt = now }
        if input.state.isActive { next.resolvedAt = nil }
        var entries = [
            IncidentEntry(
                incidentID: incident.id,
                at: now,
                kind: .updateSent,
                actorID: actor.personID,
                text: input.noChange ? "Update sent: no change." : "Update sent (\(input.state.rawValue))."
            )
        ]
        if input.state != incident.state {
            entries.append(
                IncidentEntry(
                    incidentID: incident.id,
                    at: now,
                    kind: .stateChanged,
                    actorID: actor.personID,
                    text: "\(IncidentBroadcast.label(incident.state)) → \(IncidentBroadcast.label(input.state))."
                )
            )
        }
        let messages = try await broadcast(next, update)
        let saved = try await saved(
            next,
            expecting: input.version,
            IncidentRepository.Change(entries: entries, update: update, messages: messages),
            by: actor
        )
        return (saved, update)
    }

    private func composed(_ incident: MajorIncident, _ input: UpdateInput, at now: Date) async throws
        -> IncidentUpdate
    {
        var errors: [FieldError] = []
        func field(_ text: String, _ name: String, _ limit: Int) -> String {
            let trimmed = text.trimmingWhitespace()
            if trimmed.count > limit {
                errors.append(FieldError(field: name, message: "must be at most \(limit) characters"))
            } else if trimmed.utf8.contains(0) {
                errors.append(FieldError(field: name, message: "must not contain NUL characters"))
            }
            return trimmed
        }
        let symptom = field(input.symptom, "symptom", 500)
        let impact = field(input.impact, "impact", 1_000)
        let workaround = field(input.workaround, "workaround", 2_000)
        let message = field(input.message, "message", 3_000)
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let policy = try await policy()
        let zone = try await homeTimeZone()
        let deadline = IncidentCadence.nextDeadline(
            after: now,
            state: input.state,
            severity: incident.severity,
            policy: policy
        )
        let names = try await names(people: [])
        let services = incident.serviceIDs.compactMap { names.services[$0] }.sorted()
        let earlier = try await incidents.updates(of: [incident.id])[incident.id] ?? []
        var update = IncidentUpdate(
            incidentID: incident.id,
            at: now,
            authorID: nil,
            state: input.state,
            message: "",
            noChange: input.noChange,
            nextUpdateDue: deadline
        )
        let broadcast = IncidentBroadcast(
            incident: incident,
            update: update,
            services: services,
            statusURL: statusURL,
            timeZone: zone
        )
        let fields = IncidentText.Fields(
            reference: incident.reference,
            title: incident.publicTitle,
            state: input.state,
            severity: incident.severity,
            services: services,
            symptom: symptom,
            impact: impact,
            workaround: workaround,
            message: message,
            noChange: input.noChange,
            nextUpdate: deadline.map(broadcast.local),
            timeline: earlier.map { "\(broadcast.local($0.at)) \(IncidentBroadcast.label($0.state))" }
        )
        do {
            update.message = try IncidentText.render(policy.templates.template(for: input.state), fields)
        } catch {
            throw TierdeskError.invalid(ValidationFailure([error]))
        }
        return update
    }

    /// The status page's address.
    var statusURL: String { "\(baseURL)/status" }

    /// One outbox message per subscriber of `incident` for `update`; mail only with a relay.
    func broadcast(_ incident: MajorIncident, _ update: IncidentUpdate) async throws -> [OutboxMessage] {
        let subscribers = try await incidents.subscribers().filter { $0.receives(incident) }
        guard !subscribers.isEmpty else { return [] }
        let names = try await names(people: [])
        let zone = try await homeTimeZone()
        let broadcast = IncidentBroadcast(
            incident: incident,
            update: update,
            services: incident.serviceIDs.compactMap { names.services[$0] }.sorted(),
            statusURL: statusURL,
            timeZone: zone
        )
        var messages: [OutboxMessage] = []
        for subscriber in subscribers {
            let key = "incident-update:\(update.id.uuidString.lowercased()):\(subscriber.id.uuidString.lowercased())"
            switch subscriber.kind {
            case .email:
                guard let identity = mailIdentity else { continue }
                let domain = identity.address.split(separator: "@").last.map(String.init) ?? "tierdesk.invalid"
                let mail = OutgoingMail(
                    from: MailAddress(name: identity.name, address: identity.address),
                    to: [MailAddress(name: nil, address: subscriber.target)],
                    subject: OutgoingMail.singleLine("\(broadcast.headline) [\(incident.reference)]"),
                    messageID:
                        "incident-\(update.id.uuidString.lowercased())-\(subscriber.id.uuidString.lowercased())@\(domain)",
                    autoSubmitted: .autoGenerated,
                    date: update.at,
                    text: broadcast.mailText
                )
                messages.append(try OutboxMessage.mail(mail, key: key, automatic: true, ticketID: nil, at: update.at))
            case .webhook, .slack, .teams:
                let request = PageRequest(
                    url: subscriber.target,
                    body: try broadcast.body(for: subscriber.kind),
                    allowPrivateTargets: subscriber.allowPrivateTargets
                )
                messages.append(
                    OutboxMessage(
                        key: key,
                        channel: .announcement,
                        recipient: String(subscriber.target.prefix(500)),
                        automatic: true,
                        payload: try JSONEncoder().encode(request),
                        ticketID: nil,
                        nextAttemptAt: update.at,
                        createdAt: update.at
                    )
                )
            }
        }
        return messages
    }
}
