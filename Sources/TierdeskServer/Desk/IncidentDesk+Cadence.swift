import Foundation
import TierdeskCore
import TierdeskStore

extension IncidentDesk {
    /// Keeps every active incident's cadence at `now`: reminds the communications lead before an update
    /// is due (by mail, and on the timeline), and when one is missed records the miss and pages them first,
    /// then the severity's escalation policy. Returns how many reminders and misses were handled.
    func keepCadence(at now: Date) async throws -> Int {
        let policy = try await policy()
        var handled = 0
        for incident in try await incidents.list(states: Set(MajorIncident.State.allCases.filter(\.isActive))) {
            guard let due = IncidentCadence.due(incident, policy: policy, at: now) else { continue }
            let names = try await names(people: Set([incident.commsLeadID].compactMap(\.self)))
            let comms = incident.commsLeadID.map { names.person($0) } ?? "nobody"
            var next = incident
            var change = IncidentRepository.Change()
            switch due {
            case .reminder(let deadline):
                next.remindedFor = deadline
                change.entries.append(
                    IncidentEntry(
                        incidentID: incident.id,
                        at: now,
                        kind: .updateReminder,
                        actorID: nil,
                        text: "Reminded \(comms): the next update is due by \(Timestamp.format(deadline))."
                    )
                )
                if let reminder = try await reminderMail(incident, deadline: deadline, at: now) {
                    change.messages.append(reminder)
                }
                if let chat = try await reminderChat(incident, deadline: deadline, at: now) {
                    change.messages.append(chat)
                }
            case .missed(let deadline):
                next = IncidentCadence.afterMiss(incident, deadline: deadline, policy: policy, at: now)
                change.entries.append(
                    IncidentEntry(
                        incidentID: incident.id,
                        at: now,
                        kind: .updateMissed,
                        actorID: nil,
                        text: next.missedUpdates - incident.missedUpdates == 1
                            ? "The update due by \(Timestamp.format(deadline)) was not sent."
                            : "\(next.missedUpdates - incident.missedUpdates) updates were not sent, the first due by \(Timestamp.format(deadline))."
                    )
                )
                let paging = try await settings.paging()
                if let policyID = paging.policy(for: incident.severity) {
                    change.page = OnCallPage(
                        ticketID: nil,
                        policyID: policyID,
                        title: String(
                            "\(incident.reference) update missed: \(incident.title)".prefix(OnCallPage.maxTitle)
                        ),
                        severity: incident.severity,
                        origin: .manual,
                        startedAt: now,
                        nextStepAt: now,
                        personID: incident.commsLeadID
                    )
                    change.entries.append(
                        IncidentEntry(
                            incidentID: incident.id,
                            at: now,
                            kind: .paged,
                            actorID: nil,
                            text: "Paged \(comms), then the \(incident.severity.rawValue) escalation policy."
                        )
                    )
                } else {
                    change.entries.append(
                        IncidentEntry(
                            incidentID: incident.id,
                            at: now,
                            kind: .paged,
                            actorID: nil,
                            text:
                                "Nobody was paged: the paging settings name no policy for \(incident.severity.rawValue)."
                        )
                    )
                }
            }
            // Another instance may have handled it first; then this one stores nothing.
            if try await incidents.save(next, expecting: incident.version, with: change, by: nil) != nil {
                handled += 1
            }
        }
        return handled
    }

    /// When the cadence next needs attention.
    func nextCadenceCheck() async throws -> Date? {
        let policy = try await policy()
        return try await incidents.list(states: Set(MajorIncident.State.allCases.filter(\.isActive)))
            .compactMap { IncidentCadence.nextCheck($0, policy: policy) }.min()
    }

    /// Declares an incident for every service with a burst of new tickets no incident covers (the policy's
    /// ``IncidentPolicy/burstTickets`` within ``IncidentPolicy/burstMinutes``). Returns how many it declared.
    func declareBursts(at now: Date) async throws -> Int {
        let policy = try await policy()
        guard policy.burstTickets > 0 else { return 0 }
        let since = now.addingTimeInterval(-TimeInterval(policy.burstMinutes * 60))
        var declared = 0
        for (service, ticketIDs) in try await incidents.bursts(since: since, threshold: policy.burstTickets) {
            let name = try await directory.service(service)?.name ?? "a service"
            var organisations: [UUID] = []
            for id in ticketIDs {
                if let ticket = try await tickets.find(id: id) { organisations.append(ticket.organisationID) }
            }
            let incident = MajorIncident(
                number: 0,
                title: "\(ticketIDs.count) tickets on \(name) within \(policy.burstMinutes) minutes",
                publicTitle: "Service disruption",
                severity: .sev2,
                origin: .ticketBurst,
                serviceIDs: [service],
                organisationIDs: Self.unique(organisations),
                leadID: nil,
                commsLeadID: nil,
                declaredAt: now,
                declaredBy: nil,
                nextUpdateDue: now.addingTimeInterval(policy.updateInterval(.sev2))
            )
            let entry = IncidentEntry(
                incidentID: incident.id,
                at: now,
                kind: .declared,
                actorID: nil,
                text:
                    "Declared because \(ticketIDs.count) tickets were opened on \(name) within \(policy.burstMinutes) minutes."
            )
            _ = try await incidents.declare(incident, tickets: ticketIDs, entries: [entry])
            declared += 1
        }
        return declared
    }

    /// The reminder in the communications lead's own chat webhook, if they set one; quiet hours hold it
    /// unless the incident is Sev1.
    private func reminderChat(_ incident: MajorIncident, deadline: Date, at now: Date) async throws -> OutboxMessage? {
        guard let comms = incident.commsLeadID else { return nil }
        let preferences = try await notifications.preferences(of: comms)
        guard let hook = preferences.chatWebhook else { return nil }
        let allowPrivate = try await settings.paging().allowPrivateTargets
        let text =
            "\(incident.reference): the next update of \(incident.title) is due by \(Timestamp.format(deadline)). \(baseURL)/console/incidents/\(incident.reference)"
        let body = try IncidentBroadcast.slackText(text)
        let at = preferences.deliveryTime(for: incident.severity, at: now)
        return OutboxMessage(
            key: "incident-reminder-chat:\(incident.id.uuidString.lowercased()):\(Int(deadline.timeIntervalSince1970))",
            channel: .announcement,
            recipient: String(hook.prefix(500)),
            automatic: true,
            payload: try JSONEncoder().encode(PageRequest(url: hook, body: body, allowPrivateTargets: allowPrivate)),
            ticketID: nil,
            nextAttemptAt: at,
            createdAt: now
        )
    }

    /// The reminder mail to the communications lead, with a relay and a lead.
    private func reminderMail(_ incident: MajorIncident, deadline: Date, at now: Date) async throws -> OutboxMessage? {
        guard let identity = mailIdentity, let comms = incident.commsLeadID,
            let person = try await directory.person(comms), person.active
        else { return nil }
        let domain = identity.threading.domain
        let minutes = max(0, Int(deadline.timeIntervalSince(now) / 60))
        let mail = OutgoingMail(
            from: identity.mailbox,
            to: [MailAddress(name: person.name, address: person.email)],
            subject: OutgoingMail.singleLine("\(incident.reference): next update due in \(minutes) minutes"),
            messageID:
                "incident-reminder-\(incident.id.uuidString.lowercased())-\(Int(deadline.timeIntervalSince1970))@\(domain)",
            autoSubmitted: .autoGenerated,
            date: now,
            text: """
                The next update of \(incident.reference) (\(incident.title)) is due by \(Timestamp.format(deadline)).
                Send one even if nothing changed: \(baseURL)/console/incidents/\(incident.reference)
                """
        )
        return try OutboxMessage.mail(
            mail,
            key: "incident-reminder:\(incident.id.uuidString.lowercased()):\(Int(deadline.timeIntervalSince1970))",
            automatic: true,
            ticketID: nil,
            at: now
        )
    }
}
