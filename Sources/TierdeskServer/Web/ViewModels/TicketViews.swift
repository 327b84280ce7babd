import Foundation
import TierdeskCore

/// One row of a ticket table.
struct TicketRowView {
    var reference: String
    var link: String
    var title: String
    var priority: String
    var severity: String
    var status: String
    var tier: String
    /// Not `group`: a missing value would make Mustache fall back to the page's `group` filter.
    var groupName: String?
    var organisation: String
    var owner: String
    var updated: String
    var updatedISO: String
    var deadline: String?
    var deadlineISO: String?
    var overdue: Bool
    /// The date a request is needed by (``NoticeRule``), and whether it gave too little notice to be promised.
    var neededBy: String?
    var shortNotice: Bool

    /// A row; `forCustomer` words the status as the portal does ("waiting for a third party").
    init(_ ticket: Ticket, names: NameBook, linkPrefix: String, now: Date, forCustomer: Bool = false) {
        reference = ticket.reference
        link = linkPrefix + ticket.reference
        title = ticket.title
        priority = ticket.priority.rawValue
        severity = ticket.severity.rawValue
        status = forCustomer ? CustomerWords.status(ticket.status.rawValue) : StatusLabel.text(ticket.status)
        tier = ticket.tier.rawValue
        groupName = ticket.group
        organisation = names.organisation(ticket.organisationID)
        owner = names.person(ticket.ownerID)
        updated = DisplayTime.text(ticket.updatedAt)
        updatedISO = Timestamp.format(ticket.updatedAt)
        let open = ticket.status.isOpen
        deadline = open ? ticket.nextDeadline.map(DisplayTime.text) : nil
        deadlineISO = open ? ticket.nextDeadline.map(Timestamp.format) : nil
        overdue = open && (ticket.nextDeadline.map { $0 <= now } ?? false)
        neededBy = ticket.requestedBy.map(DisplayTime.text)
        shortNotice = ticket.tags.contains(NoticeRule.shortNoticeTag)
    }
}

/// A ticket's facts for its page.
struct TicketDetailView {
    var reference: String
    var title: String
    var description: String
    var status: String
    /// The status as the portal words it.
    var customerStatus: String
    var priority: String
    var severity: String
    var impact: String
    var urgency: String
    var tier: String
    var group: String?
    var owner: String
    var requester: String
    var organisation: String
    var service: String
    var type: String
    var channel: String
    var created: String
    var createdISO: String
    var neededBy: String?
    var shortNotice: Bool

    init(_ ticket: Ticket, names: NameBook) {
        reference = ticket.reference
        title = ticket.title
        description = ticket.description
        status = StatusLabel.text(ticket.status)
        customerStatus = CustomerWords.status(ticket.status.rawValue)
        priority = ticket.priority.rawValue
        severity = ticket.severity.rawValue
        impact = ticket.impact.rawValue
        urgency = ticket.urgency.rawValue
        tier = ticket.tier.rawValue
        group = ticket.group
        owner = names.person(ticket.ownerID)
        requester = names.person(ticket.requesterID)
        organisation = names.organisation(ticket.organisationID)
        service = names.service(ticket.serviceID)
        type = ticket.type.rawValue.replacingOccurrences(of: "_", with: " ")
        channel = ticket.channel.rawValue
        created = DisplayTime.text(ticket.createdAt)
        createdISO = Timestamp.format(ticket.createdAt)
        neededBy = ticket.requestedBy.map(DisplayTime.text)
        shortNotice = ticket.tags.contains(NoticeRule.shortNoticeTag)
    }
}

/// One entry of a timeline.
struct EventView {
    var kind: String
    var label: String
    var actor: String
    var at: String
    var atISO: String
    var change: String?
    var body: String?
    var `internal`: Bool

    init(_ event: TicketEvent, names: NameBook) {
        kind = event.kind.rawValue
        actor = names.person(event.actorID)
        at = DisplayTime.text(event.at)
        atISO = Timestamp.format(event.at)
        body = event.body
        `internal` = event.kind.isInternal
        switch event.kind {
        case .created: label = "opened the ticket"
        case .publicReply: label = "replied"
        case .internalNote: label = "added an internal note"
        case .attachmentAdded: label = "attached \(event.after ?? "a file")"
        case .dataCorrection: label = "corrected data in \(event.field ?? "a record")"
        case .slaAlarm:
            let due = event.before.flatMap(Timestamp.parse).map(DisplayTime.text) ?? "?"
            label =
                event.after == SLAAlarm.Level.breach.rawValue
                ? "SLA breached: \(event.field ?? "clock") was due \(due)"
                : "SLA warning: \(event.field ?? "clock") falls due \(due)"
        case .escalated: label = "escalated \(event.before ?? "?") → \(event.after ?? "?")"
        case .deescalated: label = "returned the ticket \(event.before ?? "?") → \(event.after ?? "?")"
        case .knownErrorApplied: label = "applied known error \(event.after ?? "?") at \(event.before ?? "?")"
        case .scopeChanged:
            let kind = event.after.flatMap(BillingScope.Kind.init(rawValue:))
            label = "marked the work: \(kind?.label.lowercased() ?? "in scope")"
        case .vendorMessage: label = event.byStaff ? "wrote to the vendor" : "answered for the vendor"
        case .statusChanged, .fieldChanged, .assigned, .tierChanged: label = "changed \(event.field ?? "the ticket")"
        }
        switch event.kind {
        case .statusChanged, .fieldChanged, .assigned, .tierChanged:
            let show: (String?) -> String = { value in
                guard let value else { return "none" }
                if event.field == "ownerId", let id = UUID(uuidString: value) { return names.person(id) }
                if event.field == "serviceId", let id = UUID(uuidString: value) { return names.service(id) }
                if event.field == "vendorId", let id = UUID(uuidString: value) { return names.vendors[id] ?? value }
                return value
            }
            change = event.field == "description" ? "(text edited)" : "\(show(event.before)) → \(show(event.after))"
        case .dataCorrection:
            change = event.after
        default:
            change = nil
        }
    }
}

/// Human words for statuses.
enum StatusLabel {
    static func text(_ status: TicketStatus) -> String {
        status.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    static func options(selected: TicketStatus?) -> [OptionView] {
        TicketStatus.allCases.map { OptionView(value: $0.rawValue, label: text($0), selected: $0 == selected) }
    }
}

/// An SLA clock on the ticket page.
struct ClockView {
    /// A clock's name as pages write it.
    static func name(_ kind: SLAClockKind) -> String {
        switch kind {
        case .firstResponse: "First response"
        case .nextUpdate: "Next update"
        case .resolution: "Resolution"
        }
    }

    var name: String
    var state: String
    var due: String
    var dueISO: String?
    var remaining: String

    init(_ clock: TicketClock) {
        name = Self.name(clock.kind)
        state = clock.state.rawValue
        due = clock.due.map(DisplayTime.text) ?? "—"
        dueISO = clock.due.map(Timestamp.format)
        if let seconds = clock.remaining, clock.state == .running {
            let minutes = Int(seconds / 60)
            remaining =
                minutes >= 60
                ? "\(minutes / 60) h \(minutes % 60) min of business time left" : "\(minutes) min of business time left"
        } else {
            remaining = ""
        }
    }
}
