import Foundation
import TierdeskCore

extension EventView {
    /// An event as a customer or vendor contact reads it in the portal: statuses in customer words, no
    /// field names, rule names, tiers or support groups. Internal events never reach the portal (the desk
    /// leaves them out), so this words only the public ones.
    static func forCustomer(_ event: TicketEvent, names: NameBook) -> EventView {
        var view = EventView(event, names: names)
        // Only replies, vendor messages (a vendor contact's portal) and the opening carry words of their own;
        // a rule's or a system's note does not.
        if event.kind != .publicReply && event.kind != .created && event.kind != .vendorMessage { view.body = nil }
        switch event.kind {
        case .vendorMessage:
            view.label = event.byStaff ? "wrote" : "answered"
        case .statusChanged:
            view.label = "changed the status"
            view.change = [event.before, event.after].map { CustomerWords.status($0) }.joined(separator: " → ")
        case .assigned:
            view.label = "assigned the ticket"
            view.change = event.after.flatMap(UUID.init(uuidString:)).map(names.person)
        case .tierChanged:
            view.label = "passed the ticket to another support team"
            view.change = nil
        case .fieldChanged:
            (view.label, view.change) = CustomerWords.field(event, names: names)
        default:
            break
        }
        return view
    }
}

/// Customer words for what the desk records in its own terms.
enum CustomerWords {
    /// A status as the customer reads it.
    static func status(_ raw: String?) -> String {
        switch raw.flatMap(TicketStatus.init(rawValue:)) {
        case .new: "received"
        case .acknowledged: "acknowledged"
        case .inProgress: "in progress"
        case .pendingCustomer: "waiting for your answer"
        case .onHold: "waiting for a third party"
        case .resolved: "resolved"
        case .closed: "closed"
        case nil: "updated"
        }
    }

    /// A changed field: what changed and, where the customer may read it, from what to what.
    static func field(_ event: TicketEvent, names: NameBook) -> (label: String, change: String?) {
        switch event.field {
        case "title": ("changed the title", "\(event.before ?? "") → \(event.after ?? "")")
        case "description": ("edited the description", nil)
        case "priority": ("changed the priority", "\(event.before ?? "none") → \(event.after ?? "none")")
        case "serviceId":
            (
                "changed the service",
                event.after.flatMap(UUID.init(uuidString:)).map(names.service)
            )
        case "vendorId":
            event.after == nil
                ? ("took the ticket back from the software vendor", nil)
                : ("passed the ticket to the software vendor; it waits on their answer", nil)
        case "ownerId":
            ("assigned the ticket", event.after.flatMap(UUID.init(uuidString:)).map(names.person))
        default: ("updated the ticket", nil)
        }
    }
}
