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
        var preferences: PreferencesForm
    }

    /// How notifications leave the console, as the form shows it.
    struct PreferencesForm {
        var email: Bool
        var chatWebhook: String
        var page: Bool
        var timeZone: String
        var quietStart: String
        var quietEnd: String

        init(_ preferences: NotificationPreferences) {
            email = preferences.email
            chatWebhook = preferences.chatWebhook ?? ""
            page = preferences.page
            timeZone = preferences.timeZone ?? ""
            quietStart = preferences.quietHours?.start ?? ""
            quietEnd = preferences.quietHours?.end ?? ""
        }
    }

    struct PreferencesInput: Decodable {
        var csrf: String
        var email: String?
        var chatWebhook: String?
        var page: String?
        var timeZone: String?
        var quietStart: String?
        var quietEnd: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", email, chatWebhook, page, timeZone, quietStart, quietEnd
        }

        /// Quiet hours are set when a start or an end is given.
        var preferences: NotificationPreferences {
            let start = quietStart?.trimmingWhitespace() ?? ""
            let end = quietEnd?.trimmingWhitespace() ?? ""
            return NotificationPreferences(
                email: email != nil,
                chatWebhook: chatWebhook,
                page: page != nil,
                timeZone: timeZone,
                quietHours: start.isEmpty && end.isEmpty ? nil : .init(start: start, end: end)
            )
        }

        /// What was typed, shown again with the refusal.
        var form: PreferencesForm {
            var form = PreferencesForm(NotificationPreferences())
            form.email = email != nil
            form.chatWebhook = chatWebhook ?? ""
            form.page = page != nil
            form.timeZone = timeZone ?? ""
            form.quietStart = quietStart ?? ""
            form.quietEnd = quietEnd ?? ""
            return form
        }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/notifications") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice: String? =
                switch request.uri.queryParameters.get("notice") {
                case "read": "All notifications are marked read."
                case "saved": "Your notification settings are saved."
                default: nil
                }
            return try await page(identity, notice: notice)
        }
        router.post("/console/notifications/preferences") { request, context in
            let input = try await WebForm.decode(PreferencesInput.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: input.csrf)
            return try await WebForm.submit(
                {
                    _ = try await desk.save(input.preferences, by: identity.actor)
                    return "/console/notifications?notice=saved"
                },
                orShow: { problem in
                    try await page(identity, error: problem.detail, status: problem.status, form: input.form)
                }
            )
        }
        router.post("/console/notifications/read") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            try await desk.markAllRead(by: identity.actor)
            return Response.redirect(to: "/console/notifications?notice=read", type: .normal)
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        form: PreferencesForm? = nil
    ) async throws -> Response {
        let items = try await desk.list(for: identity.actor)
        let preferences =
            if let form { form } else { PreferencesForm(try await desk.preferences(for: identity.actor)) }
        let view = PageView(
            user: UserView(identity),
            notice: notice,
            error: error,
            items: items.map(NotificationView.init),
            hasItems: !items.isEmpty,
            unread: try await desk.unreadCount(for: identity.actor),
            preferences: preferences
        )
        return try Templates.page(templates, "notifications", view, status: status)
    }
}
