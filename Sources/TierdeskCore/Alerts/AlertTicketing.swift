import Foundation

/// Turns alert decisions into ticket writes through the ticket workflow, acting as the configured
/// reporter: alert tickets obey the same rules and access policy as tickets opened by hand.
public struct AlertTicketing: Sendable {
    public var workflow: TicketWorkflow
    public var rules: TriageRules
    /// Article ids for the triage rules' article references.
    public var articles: [Int: UUID]
    public var settings: AlertIntakeSettings
    public var reporter: Person
    /// Services by lower-case name, for the service label.
    public var services: [String: Service]
    public var now: Date

    /// Fails when the reporter may not open, note and resolve tickets for others.
    public init(
        workflow: TicketWorkflow,
        rules: TriageRules,
        articles: [Int: UUID],
        settings: AlertIntakeSettings,
        reporter: Person,
        services: [String: Service],
        now: Date
    ) throws(TierdeskError) {
        try Self.check(reporter: reporter)
        self.workflow = workflow
        self.rules = rules
        self.articles = articles
        self.settings = settings
        self.reporter = reporter
        self.services = services
        self.now = now
    }

    /// Fails unless `reporter` is active and may open tickets for others, note them and resolve them.
    public static func check(reporter: Person) throws(TierdeskError) {
        guard reporter.active else {
            throw .conflict(
                "Alert intake acts as \(reporter.email), whose account is disabled; choose another reporter in the alert intake settings."
            )
        }
        let scope = TicketScope(
            requesterID: reporter.id,
            organisationID: reporter.organisationID ?? Organisation.internalID,
            organisationSharesTickets: false,
            vendorID: nil
        )
        for action in [Action.createTicketForOthers, .changeStatus, .addInternalNote] {
            if case .forbidden(let reason) = AccessPolicy.decide(action, by: reporter.actor, on: scope) {
                throw .conflict(
                    "Alert intake acts as \(reporter.email), but: \(reason) Choose an agent in the alert intake settings."
                )
            }
        }
    }

    /// The new ticket for a firing alert and the events of its opening (triage rules included).
    public func open(_ signal: AlertSignal, number: Int, id: UUID = .timeOrdered()) throws(TierdeskError) -> (
        Ticket, [TicketEvent]
    ) {
        let severity = settings.severity(of: signal.labels)
        var draft = TicketDraft(
            title: AlertText.title(signal),
            description: AlertText.description(signal),
            type: .alert,
            channel: .monitoring,
            severity: severity,
            requesterID: reporter.id
        )
        switch severity {
        case .sev1: (draft.impact, draft.urgency) = (.high, .high)
        case .sev2: (draft.impact, draft.urgency) = (.high, .medium)
        case .sev3: (draft.impact, draft.urgency) = (.medium, .medium)
        }
        let service = signal.labels[settings.serviceLabel].flatMap { services[$0.trimmingWhitespace().lowercased()] }
        draft.serviceID = service?.id
        draft.group = settings.group
        let references = TicketReferences(requester: reporter, service: service)
        let (ticket, event) = try workflow.open(
            draft,
            by: reporter.actor,
            references: references,
            id: id,
            number: number,
            at: now
        )
        let (ruled, ruleEvents) = rules.apply(
            to: ticket,
            on: .create,
            matrix: workflow.matrix,
            articles: articles,
            at: now
        )
        return (ruled, [event] + ruleEvents)
    }

    /// An internal note on the alert's ticket.
    public func note(_ text: String, on ticket: Ticket, scope: TicketScope) throws(TierdeskError) -> (
        Ticket, [TicketEvent]
    ) {
        try workflow.addMessage(to: ticket, scope: scope, body: text, isInternal: true, by: reporter.actor, at: now)
    }

    /// What a resolved alert does to its open ticket: resolves it, or notes it, per the settings.
    public func resolve(_ ticket: Ticket, scope: TicketScope, signal: AlertSignal) throws(TierdeskError) -> (
        Ticket, [TicketEvent]
    ) {
        let when = Timestamp.format(signal.endedAt ?? now)
        let text = "\(AlertText.sourceName(signal.source)) reports the alert resolved at \(when)."
        switch settings.onResolve {
        case .annotate:
            return try note(text, on: ticket, scope: scope)
        case .close:
            return try workflow.changeStatus(
                ticket,
                scope: scope,
                to: .resolved,
                comment: text,
                resolution: .solved,
                expectedVersion: ticket.version,
                by: reporter.actor,
                at: now
            )
        }
    }
}
