import Foundation

/// Who can be told about an alarm and who may take a ticket over.
public struct SLAEscalationContacts: Sendable, Equatable {
    /// The lead of the ticket's group, if the group has one.
    public var groupLead: UUID?
    /// Every active manager.
    public var managers: [UUID]

    public init(groupLead: UUID?, managers: [UUID]) {
        self.groupLead = groupLead
        self.managers = managers
    }
}

/// What escalating one fired alarm does: the ticket after it, the events to record, who to tell.
public struct SLAEscalationOutcome: Sendable, Equatable {
    public var ticket: Ticket
    /// The alarm's own event first, then one per changed field.
    public var events: [TicketEvent]
    /// The people to notify, each once, in the order the actions name them.
    public var recipients: [UUID]
    /// Keys of the one-off actions taken (see ``SLAEscalation/key(_:_:)``).
    public var taken: Set<String>
}

/// Hierarchical escalation when an SLA alarm fires. Pure: the same ticket, alarm, actions and contacts
/// give the same outcome. Notifications go out every time an alarm fires; raising the priority and
/// reassigning happen at most once per ticket, clock and level, which `alreadyTaken` records.
public enum SLAEscalation {
    /// The key under which a one-off action is remembered.
    public static func key(_ alarm: SLAAlarm, _ action: SLAEscalationAction) -> String {
        "\(alarm.clock.rawValue) \(alarm.level.rawValue) \(action.rawValue)"
    }

    public static func escalate(
        _ ticket: Ticket,
        alarm: SLAAlarm,
        actions: [SLAEscalationAction],
        contacts: SLAEscalationContacts,
        alreadyTaken: Set<String>,
        at now: Date
    ) -> SLAEscalationOutcome {
        var next = ticket
        var changes: [TicketEvent] = []
        var recipients: [UUID] = []
        var taken: Set<String> = []
        var done: [String] = []
        let cause = "SLA escalation: \(alarm.clock.rawValue) \(alarm.level.rawValue)"
        func notify(_ person: UUID?) {
            if let person, !recipients.contains(person) { recipients.append(person) }
        }
        for action in actions {
            let once = key(alarm, action)
            switch action {
            case .notifyOwner:
                notify(ticket.ownerID ?? contacts.groupLead)
            case .notifyGroupLead:
                notify(contacts.groupLead)
            case .notifyManagers:
                contacts.managers.forEach(notify)
            case .raisePriority:
                guard !alreadyTaken.contains(once), !taken.contains(once), let raised = next.priority.raised else {
                    continue
                }
                taken.insert(once)
                changes.append(
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .fieldChanged,
                        actorID: nil,
                        at: now,
                        field: "priority",
                        before: next.priority.rawValue,
                        after: raised.rawValue,
                        body: cause
                    )
                )
                if next.severity == Severity(derivedFrom: next.priority), Severity(derivedFrom: raised) != next.severity
                {
                    changes.append(
                        TicketEvent(
                            ticketID: ticket.id,
                            kind: .fieldChanged,
                            actorID: nil,
                            at: now,
                            field: "severity",
                            before: next.severity.rawValue,
                            after: Severity(derivedFrom: raised).rawValue,
                            body: cause
                        )
                    )
                    next.severity = Severity(derivedFrom: raised)
                }
                next.priority = raised
                done.append("raised the priority to \(raised.rawValue)")
            case .reassignToGroupLead:
                guard !alreadyTaken.contains(once), !taken.contains(once), let lead = contacts.groupLead,
                    next.ownerID != lead
                else { continue }
                taken.insert(once)
                changes.append(
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .assigned,
                        actorID: nil,
                        at: now,
                        field: "ownerId",
                        before: next.ownerID?.uuidString,
                        after: lead.uuidString,
                        body: cause
                    )
                )
                next.ownerID = lead
                done.append("gave the ticket to the group lead")
            }
        }
        if !recipients.isEmpty {
            done.insert("notified \(recipients.count) \(recipients.count == 1 ? "person" : "people")", at: 0)
        }
        let alarmEvent = TicketEvent(
            ticketID: ticket.id,
            kind: .slaAlarm,
            actorID: nil,
            at: now,
            field: alarm.clock.rawValue,
            before: Timestamp.format(alarm.due),
            after: alarm.level.rawValue,
            body: done.isEmpty ? nil : done.joined(separator: "; ")
        )
        if !changes.isEmpty {
            next.version += 1
            next.updatedAt = now
        }
        return SLAEscalationOutcome(ticket: next, events: [alarmEvent] + changes, recipients: recipients, taken: taken)
    }
}

extension Priority {
    /// One step more urgent; nil for P1.
    public var raised: Priority? {
        switch self {
        case .p1: nil
        case .p2: .p1
        case .p3: .p2
        case .p4: .p3
        case .p5: .p4
        }
    }
}
