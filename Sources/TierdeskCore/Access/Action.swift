/// Everything a person can try to do. The ``AccessPolicy`` decides each one.
public enum Action: String, Sendable, CaseIterable {
    // Ticket actions, decided against a ticket.
    case viewTicket
    case replyPublicly
    case addInternalNote
    case viewInternalNotes
    /// Triage: change title, description, type, impact, urgency, severity, service, requested-by date.
    case triageTicket
    case changeStatus
    case assignTicket
    case escalateTicket
    /// Data corrections in the supported system ("only L2/L3 have write access"); always audited.
    case privilegedWrite
    case uploadAttachment
    /// Mark a ticket in scope, out of scope (with consent) or moved to a project.
    case changeBillingScope

    // Actions without a particular ticket.
    case createTicket
    /// Open a ticket on behalf of another requester or set its severity or owner directly.
    case createTicketForOthers
    case viewAllQueues
    case viewDirectory
    case viewReports
    case configure
    case manageOwnTokens
    /// Read and search the Known Error Database.
    case viewKnownErrors
    /// Write and change Known Error Database articles.
    case writeKnownErrors
    /// See schedules, who is on call, coverage and pages.
    case viewOnCall
    /// Change schedules, overrides and escalation policies.
    case manageOnCall
    /// Start pages by hand, acknowledge and resolve them.
    case respondToPages
    /// See major incidents, their timelines and reviews.
    case viewIncidents
    /// Declare major incidents, link tickets, send updates, change their state, write reviews.
    case runIncidents
    /// Add and remove the subscribers of incident updates, and edit the incident policy's templates.
    case manageIncidentSubscribers
    /// Get SLA notifications and choose how they leave the console.
    case receiveNotifications
    /// Log time on tickets (one's own; managers and admins for anyone).
    case logTime
    /// See rates, amounts and statements; record vendor costs; close months.
    case viewBilling
    /// Keep personal canned responses and macros and use the shared ones.
    case useResponseTemplates
    /// Keep the canned responses and macros the whole desk shares.
    case manageSharedTemplates

    /// Whether the action is decided against a ticket.
    public var needsTicket: Bool {
        switch self {
        case .viewTicket, .replyPublicly, .addInternalNote, .viewInternalNotes, .triageTicket, .changeStatus,
            .assignTicket, .escalateTicket, .privilegedWrite, .uploadAttachment, .changeBillingScope:
            true
        case .createTicket, .createTicketForOthers, .viewAllQueues, .viewDirectory, .viewReports, .configure,
            .manageOwnTokens,
            .viewKnownErrors, .writeKnownErrors, .viewOnCall, .manageOnCall, .respondToPages, .viewIncidents,
            .runIncidents, .manageIncidentSubscribers, .receiveNotifications, .logTime, .viewBilling,
            .useResponseTemplates, .manageSharedTemplates:
            false
        }
    }
}
