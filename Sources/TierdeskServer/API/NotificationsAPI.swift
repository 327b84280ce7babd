import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/notifications`: the caller's own notifications (SLA warnings and breaches) and how they leave
/// the console.
struct NotificationsAPI {
    let desk: NotificationDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/notifications") { request, context in
            let unread = try request.uri.queryParameters.bool("unread") ?? false
            return try JSONBody.response(
                try await desk.list(for: context.actor, unreadOnly: unread).map(NotificationDTO.init)
            )
        }
        routes.signedIn(.post, "/api/v1/notifications/{notificationId}/read") { _, context in
            try await desk.markRead(
                try context.uuidParameter("notificationId", what: "notification"),
                by: context.actor
            )
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/notifications/preferences") { _, context in
            try JSONBody.response(try await desk.preferences(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/notifications/preferences") { request, context in
            try NotificationDesk.requireStaff(context.actor)
            let input = try await JSONBody.decode(NotificationPreferences.self, from: request)
            return try JSONBody.response(try await desk.save(input, by: context.actor))
        }
        routes.signedIn(.post, "/api/v1/notifications/read") { _, context in
            try await desk.markAllRead(by: context.actor)
            return Response(status: .noContent)
        }
    }
}
