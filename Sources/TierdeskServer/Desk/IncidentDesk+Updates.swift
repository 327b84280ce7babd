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
        return try await composed(incident, input, at: clock.now(), setting: try await setting(of: incident)).message
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
        let setting = try await setting(of: incident)
        var update = try await composed(incident, input, at: now, setting: setting)
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
        let messages = try await broadcast(next, update, setting: setting)
        let saved = try await saved(
            next,
            expecting: input.version,
            IncidentRepository.Change(entries: entries, update: update, messages: messages),
            by: actor
        )
        return (saved, update)
    }

    /// What every text about an incident names: its services' names and the zone times are written in.
    struct Setting: Sendable {
        var services: [String]
        var zone: TimeZone
    }

    func setting(of incident: MajorIncident) async throws -> Setting {
        let names = try await names(people: [])
        return Setting(
            services: incident.serviceIDs.compactMap { names.services[$0] }.sorted(),
            zone: try await homeTimeZone()
        )
    }

    private func composed(_ incident: MajorIncident, _ input: UpdateInput, at now: Date, setting: Setting)
        async throws -> IncidentUpdate
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
        let services = setting.services
        let deadline = IncidentCadence.nextDeadline(
            after: now,
            state: input.state,
            severity: incident.severity,
            policy: policy
        )
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
            timeZone: setting.zone
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

    /// One outbox message per subscriber of `incident` for `update`.
    func broadcast(_ incident: MajorIncident, _ update: IncidentUpdate, setting: Setting) async throws
        -> [OutboxMessage]
    {
        let broadcast = IncidentBroadcast(
            incident: incident,
            update: update,
            services: setting.services,
            statusURL: statusURL,
            timeZone: setting.zone
        )
        return try await subscriberMessages(
            for: incident,
            key: { "incident-update:\(update.id.uuidString.lowercased()):\($0.id.uuidString.lowercased())" },
            subject: "\(broadcast.headline) [\(incident.reference)]",
            mailText: broadcast.mailText,
            at: update.at,
            body: broadcast.body(for:)
        )
    }

    /// One outbox message per subscriber `incident` reaches: a mail (only with a relay) or a signed POST of
    /// `body` for the subscriber's kind. `key` names the message per subscriber, so nobody gets it twice.
    func subscriberMessages(
        for incident: MajorIncident,
        key: (IncidentSubscriber) -> String,
        subject: String,
        mailText: String,
        at now: Date,
        body: (IncidentSubscriber.Kind) throws -> Data
    ) async throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for subscriber in try await incidents.subscribers() where subscriber.receives(incident) {
            let key = key(subscriber)
            if subscriber.kind == .email {
                guard let identity = mailIdentity else { continue }
                let mail = OutgoingMail(
                    from: identity.mailbox,
                    to: [MailAddress(name: nil, address: subscriber.target)],
                    subject: OutgoingMail.singleLine(subject),
                    messageID: "\(key.replacingOccurrences(of: ":", with: "-"))@\(identity.threading.domain)",
                    autoSubmitted: .autoGenerated,
                    date: now,
                    text: mailText
                )
                messages.append(try OutboxMessage.mail(mail, key: key, automatic: true, ticketID: nil, at: now))
                continue
            }
            let request = PageRequest(
                url: subscriber.target,
                body: try body(subscriber.kind),
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
                    nextAttemptAt: now,
                    createdAt: now
                )
            )
        }
        return messages
    }
}
