import Foundation

/// Watching a ticket: members of staff who follow it get a notification when someone else replies, notes,
/// changes its status or owner, or moves it between tiers. Pure: the same events give the same news.
public enum TicketWatch {
    /// The most people who may watch one ticket.
    public static let maxWatchers = 50

    /// The news about `event` on `ticket`, in words, or nil when watchers are not told about such an event.
    /// `actor` is the name of whoever did it (nil for Tierdesk itself).
    public static func news(of event: TicketEvent, on ticket: Ticket, actor: String?) -> String? {
        let who = actor ?? "Tierdesk"
        let what: String
        switch event.kind {
        case .publicReply: what = "\(who) replied"
        case .internalNote: what = "\(who) added an internal note"
        case .statusChanged: what = "\(who) changed the status from \(event.before ?? "?") to \(event.after ?? "?")"
        case .assigned where event.field == "ownerId": what = "\(who) changed the owner"
        case .escalated: what = "\(who) escalated it from \(event.before ?? "?") to \(event.after ?? "?")"
        case .deescalated: what = "\(who) returned it from \(event.before ?? "?") to \(event.after ?? "?")"
        case .attachmentAdded: what = "\(who) added a file"
        case .vendorMessage: what = "\(who) wrote in the vendor thread"
        default: return nil
        }
        return "\(ticket.reference): \(what) (\(ticket.title.prefix(80)))"
    }

    /// The notifications a write's events give its watchers: one per watcher and event worth telling, never
    /// to the person who did it.
    public static func notifications(
        for events: [TicketEvent],
        on ticket: Ticket,
        watchers: Set<UUID>,
        names: [UUID: String],
        at now: Date
    ) -> [Notification] {
        events.flatMap { event -> [Notification] in
            guard let message = news(of: event, on: ticket, actor: event.actorID.flatMap { names[$0] }) else {
                return []
            }
            return watchers.subtracting(event.actorID.map { [$0] } ?? []).sorted { $0.uuidString < $1.uuidString }
                .map {
                    Notification(
                        personID: $0,
                        ticketID: ticket.id,
                        ticketNumber: ticket.number,
                        kind: .ticketActivity,
                        message: message,
                        createdAt: now
                    )
                }
        }
    }
}
