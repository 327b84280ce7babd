import Foundation
import HTTPTypes
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Works out who is calling, from a Bearer token or the session cookie, and guards API writes made with
/// a session cookie by requiring the session's CSRF token in `X-CSRF-Token`.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = TierdeskRequestContext

    let sessions: SessionDesk
    /// Where staff keep the time zone their console pages show times in, and their notifications.
    let notifications: NotificationRepository

    static let sessionCookie = "tierdesk_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if IntegrationAuth.isIntegrationPath(request.uri.path) {
            // These endpoints check their own integration tokens.
        } else if let authorization = request.headers[.authorization] {
            guard authorization.count <= 512, authorization.lowercased().hasPrefix("bearer ") else {
                throw Problem(.unauthorized, "Only 'Authorization: Bearer <token>' is understood.")
            }
            let token = String(authorization.dropFirst("bearer ".count)).trimmingWhitespace()
            guard let person = try await sessions.person(apiToken: token) else {
                throw Problem.unauthorized().with(detail: "The API token is not valid or has been revoked.")
            }
            context.identity = Identity(person: person, proof: .apiToken)
        } else if let cookie = request.cookies[Self.sessionCookie]?.value, cookie.count <= 128 {
            if let session = try await sessions.session(cookie: cookie) {
                var identity = Identity(
                    person: session.person,
                    proof: .session(tokenHash: session.tokenHash, csrfToken: session.csrfToken)
                )
                if session.person.actor.isStaff, request.uri.path.hasPrefix("/console") {
                    let header = try await notifications.header(personID: session.person.id, cap: Identity.unreadCap)
                    identity.timeZone = header.preferences.zone
                    identity.unreadNotifications = header.unread
                } else if request.uri.path.hasPrefix("/portal") {
                    identity.timeZone = try await notifications.preferences(of: session.person.id).zone
                }
                context.identity = identity
                if request.uri.path.hasPrefix("/api/"), request.method != .get, request.method != .head {
                    let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
                    guard Secrets.constantTimeEqual(sent, session.csrfToken) else {
                        throw Problem(
                            .forbidden,
                            "API writes made with a session cookie need the X-CSRF-Token header; use an API token for integrations."
                        )
                    }
                }
            }
        }
        return try await next(request, context)
    }
}

extension Problem {
    func with(detail: String) -> Problem {
        var copy = self
        copy.detail = detail
        return copy
    }
}
