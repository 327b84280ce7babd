import Foundation

/// The one place that decides what a person may do. Every channel (API, web, mail, exports) asks it.
public enum AccessPolicy {
    /// Decides an action. Ticket actions need `ticket`; without one they are decided as "hidden".
    public static func decide(_ action: Action, by actor: Actor, on ticket: TicketScope? = nil) -> AccessDecision {
        if action.needsTicket {
            guard let ticket, canView(ticket, actor) else { return .hidden }
            return ticketAction(action, actor) ? .allowed : .forbidden(refusal(action, actor))
        }
        return globalAction(action, actor) ? .allowed : .forbidden(refusal(action, actor))
    }

    /// Convenience for callers that only need yes or no.
    public static func allows(_ action: Action, by actor: Actor, on ticket: TicketScope? = nil) -> Bool {
        decide(action, by: actor, on: ticket) == .allowed
    }

    /// Paging contacts: staff edit their own, admins anyone's.
    public static func decidePagingContacts(of person: UUID, by actor: Actor) -> AccessDecision {
        if actor.has(.admin) || (actor.isStaff && actor.personID == person) { return .allowed }
        return .forbidden("Staff set their own paging contacts; only admins set someone else's.")
    }

    /// Whether the actor may write data (``Action/privilegedWrite``) on a ticket they can see: the reports'
    /// privileged-access control counts corrections by anyone else.
    public static func mayCorrectData(_ actor: Actor) -> Bool { ticketAction(.privilegedWrite, actor) }

    /// Reports: managers and admins see every team's figures; an agent sees those of their own tier's team.
    /// `tier` is the tier the report is narrowed to (nil: every tier).
    public static func decideReport(tier: Tier?, by actor: Actor) -> AccessDecision {
        if allows(.viewReports, by: actor) { return .allowed }
        guard actor.has(.agent), let own = actor.tier else { return decide(.viewReports, by: actor) }
        return tier == own
            ? .allowed : .forbidden("Agents see the reports of their own tier's team (\(own.rawValue)) only.")
    }

    /// A customer's SLA report: staff see every organisation's; a requester sees their own organisation's
    /// when it shares tickets among its people (otherwise its figures would tell of colleagues' tickets);
    /// anyone else does not learn the organisation exists.
    public static func decideCustomerReport(of organisation: Organisation, by actor: Actor) -> AccessDecision {
        if actor.isStaff { return .allowed }
        guard actor.has(.requester), actor.organisationID == organisation.id else { return .hidden }
        return organisation.sharesTickets
            ? .allowed
            : .forbidden(
                "\(organisation.name) does not share tickets among its people, so the service desk sends its SLA report."
            )
    }

    /// A major incident's review: staff read all of it; a requester reads the customer version when the
    /// incident affected their organisation; anyone else does not learn it exists.
    public static func decideIncidentReview(affecting organisations: [UUID], by actor: Actor) -> AccessDecision {
        if actor.isStaff { return .allowed }
        guard actor.has(.requester), let own = actor.organisationID, organisations.contains(own) else { return .hidden }
        return .allowed
    }

    /// Time off in lieu and the work behind it: staff see and log their own; managers and admins everyone's.
    /// `person` nil means everyone at once.
    public static func decideTimeOff(of person: UUID?, by actor: Actor) -> AccessDecision {
        if actor.has(.manager) || actor.has(.admin) { return .allowed }
        if actor.isStaff, let person, person == actor.personID { return .allowed }
        return .forbidden(
            actor.isStaff
                ? "Staff see and log their own out-of-hours work; only managers and admins see or log anyone's."
                : "Time off in lieu is for staff."
        )
    }

    /// An organisation's balance of hours: staff see every organisation's; its requesters see their own
    /// organisation's when its contract says so; anyone else does not learn it exists.
    public static func decideBalance(of organisation: UUID, customerSeesBilling: Bool, by actor: Actor)
        -> AccessDecision
    {
        if actor.isStaff { return .allowed }
        guard actor.has(.requester), actor.organisationID == organisation else { return .hidden }
        return customerSeesBilling
            ? .allowed
            : .forbidden("Your organisation's contract has the service desk send its balance and statements.")
    }

    /// An organisation's statement, which shows money and every ticket worked on: managers and admins see
    /// every one; its requesters their own when the contract says so and the organisation shares tickets
    /// among its people (otherwise the lines would tell of colleagues' tickets); agents are refused; anyone
    /// else does not learn it exists.
    public static func decideStatement(of organisation: Organisation, customerSeesBilling: Bool, by actor: Actor)
        -> AccessDecision
    {
        if actor.isStaff { return decide(.viewBilling, by: actor) }
        let balance = decideBalance(of: organisation.id, customerSeesBilling: customerSeesBilling, by: actor)
        guard balance == .allowed, !organisation.sharesTickets else { return balance }
        return .forbidden(
            "\(organisation.name) does not share tickets among its people, so the service desk sends its statement."
        )
    }

    /// Staff see every ticket; vendor contacts those escalated to their vendor; requesters their own,
    /// or their organisation's when it shares tickets.
    static func canView(_ ticket: TicketScope, _ actor: Actor) -> Bool {
        if actor.isStaff { return true }
        if actor.has(.vendor), let vendor = actor.vendorID, ticket.vendorID == vendor { return true }
        if actor.has(.requester) {
            if ticket.requesterID == actor.personID { return true }
            if ticket.organisationSharesTickets, actor.organisationID == ticket.organisationID { return true }
        }
        return false
    }

    private static func ticketAction(_ action: Action, _ actor: Actor) -> Bool {
        if actor.has(.admin) { return true }
        let agent = actor.has(.agent)
        let manager = actor.has(.manager)
        switch action {
        case .viewTicket:
            return true
        case .replyPublicly, .uploadAttachment:
            // Requesters and vendor contacts take part in the conversation of tickets they can see.
            return true
        case .addInternalNote, .viewInternalNotes:
            return agent || manager
        case .triageTicket, .changeStatus, .escalateTicket:
            return agent
        case .assignTicket, .changeBillingScope:
            return agent || manager
        case .privilegedWrite:
            return agent && (actor.tier == .l2 || actor.tier == .l3)
        case .createTicket, .createTicketForOthers, .viewAllQueues, .viewDirectory, .viewReports, .configure,
            .manageOwnTokens,
            .viewKnownErrors, .writeKnownErrors, .viewOnCall, .manageOnCall, .respondToPages, .viewIncidents,
            .runIncidents, .manageIncidentSubscribers, .receiveNotifications, .logTime, .viewBilling,
            .useResponseTemplates, .manageSharedTemplates:
            return false
        }
    }

    private static func globalAction(_ action: Action, _ actor: Actor) -> Bool {
        if actor.has(.admin) { return true }
        switch action {
        case .createTicket:
            return actor.has(.agent) || actor.has(.requester) || actor.has(.manager)
        case .createTicketForOthers:
            return actor.has(.agent) || actor.has(.manager)
        case .viewAllQueues, .viewDirectory, .viewKnownErrors, .viewOnCall, .viewIncidents, .receiveNotifications:
            return actor.isStaff
        case .runIncidents:
            return actor.has(.agent) || actor.has(.manager)
        case .manageOnCall, .manageIncidentSubscribers:
            return actor.has(.manager)
        case .respondToPages:
            return actor.has(.agent) || actor.has(.manager)
        case .writeKnownErrors:
            return actor.has(.agent)
        case .viewReports, .viewBilling:
            return actor.has(.manager)
        case .logTime, .useResponseTemplates:
            return actor.has(.agent) || actor.has(.manager)
        case .manageSharedTemplates:
            return actor.has(.manager)
        case .configure:
            return false
        case .manageOwnTokens:
            return true
        default:
            return false
        }
    }

    private static func refusal(_ action: Action, _ actor: Actor) -> String {
        switch action {
        case .privilegedWrite: "Data corrections are limited to L2 and L3 agents and admins."
        case .configure: "Only admins may change the configuration."
        case .viewReports: "Reports are for managers and admins; agents see their own tier's."
        case .viewKnownErrors: "The Known Error Database is for staff."
        case .writeKnownErrors: "Only agents and admins write Known Error Database articles."
        case .addInternalNote, .viewInternalNotes: "Internal notes are for staff only."
        case .triageTicket, .changeStatus, .escalateTicket: "Only agents may \(Self.verb(action)) tickets."
        case .assignTicket: "Only agents and managers may assign tickets."
        case .createTicket: "Your account may not open tickets."
        case .createTicketForOthers:
            "Only agents and managers may open tickets for other people or set tier, group, severity and owner."
        case .viewAllQueues, .viewDirectory: "Only staff may see queues and the directory."
        case .viewOnCall: "On-call schedules and pages are for staff."
        case .manageOnCall: "Only managers and admins may change schedules, overrides and escalation policies."
        case .respondToPages: "Only agents and managers may page, acknowledge or resolve pages."
        case .viewIncidents: "Major incidents are for staff; the public status page shows what updates said."
        case .runIncidents: "Only agents and managers may declare, update and close major incidents."
        case .manageIncidentSubscribers: "Only managers and admins may change incident subscribers and templates."
        case .receiveNotifications: "Notifications are for staff."
        case .logTime: "Only staff log time on tickets."
        case .viewBilling: "Rates, amounts and statements are for managers and admins."
        case .useResponseTemplates: "Canned responses and macros are for agents and managers."
        case .manageSharedTemplates: "Only managers and admins keep the desk's shared canned responses and macros."
        case .changeBillingScope: "Only agents and managers decide whether work is in scope."
        default: "You are not allowed to do this."
        }
    }

    private static func verb(_ action: Action) -> String {
        switch action {
        case .triageTicket: "triage"
        case .changeStatus: "change the status of"
        case .escalateTicket: "escalate"
        default: "change"
        }
    }
}
