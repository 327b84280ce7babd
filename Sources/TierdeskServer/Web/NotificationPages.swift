import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/notifications`: the signed-in member of staff's notifications, newest first.
struct NotificationPages {
    let desk: NotificationDesk
    let templates: MustacheLibrary

    struct NotificationView {
        var message: String
        var link: String
        var ticket: String
        var at: String
        var atISO: String
        var unread: Bool
        var kind: String

        init(_ notification: TierdeskCore.Notification) {
            message = notification.message
            ticket = TicketReference.format(notification.ticketNumber)
            link = "/console/tickets/\(ticket)"
            at = DisplayTime.text(notification.createdAt)
            atISO = Timestamp.format(notification.createdAt)
            unread = notification.readAt == nil
            kind = notification.kind.rawValue
        }
    }

    struct PageView {
        var title = "Notifications"
        var user: UserView?
        var notice: String?
        var error: String?
        var items: [NotificationView]
        var hasItems: Bool
        var unread: Int
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/notifications") { request, context in
            let identity = try ConsolePages.staff(context)
            let items = try await desk.list(for: identity.actor)
            let notice =
                request.uri.queryParameters.get("notice") == "read" ? "All notifications are marked read." : nil
            let unread = try await desk.unreadCount(for: identity.actor)
            let view = PageView(
                user: UserView(identity),
                notice: notice,
                items: items.map(NotificationView.init),
                hasItems: !items.isEmpty,
                unread: unread
            )
            return try Templates.page(templates, "notifications", view)
        }
        router.post("/console/notifications/read") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            try await desk.markAllRead(by: identity.actor)
            return Response.redirect(to: "/console/notifications?notice=read", type: .normal)
        }
    }
}
