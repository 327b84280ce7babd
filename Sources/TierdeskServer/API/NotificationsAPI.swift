import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/notifications`: the caller's own notifications (SLA warnings and breaches).
struct NotificationsAPI {
    let clock: any Clock
    let notifications: NotificationRepository

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/notifications") { request, context in
            let actor = context.identity.actor
            let unread = try request.uri.queryParameters.bool("unread") ?? false
            let items = try await notifications.list(personID: actor.personID, unreadOnly: unread)
            return try JSONBody.response(items.map(NotificationDTO.init))
        }
        routes.signedIn(.post, "/api/v1/notifications/{notificationId}/read") { _, context in
            let actor = context.identity.actor
            let id = try context.uuidParameter("notificationId", what: "notification")
            guard try await notifications.markRead(id: id, personID: actor.personID, at: clock.now()) else {
                throw Problem(.notFound, "You have no notification with the id \(id.uuidString).")
            }
            return Response(status: .noContent)
        }
        routes.signedIn(.post, "/api/v1/notifications/read") { _, context in
            let actor = context.identity.actor
            try await notifications.markAllRead(personID: actor.personID, at: clock.now())
            return Response(status: .noContent)
        }
    }
}
