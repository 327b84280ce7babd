import Foundation
import HTTPTypes
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Works out who is calling, from a Bearer token or the session cookie, and guards API writes made with
/// a session cookie by requiring the session's CSRF token in `X-CSRF-Token`.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = TierdeskRequestContext

    let environment: TierdeskEnvironment

    static let sessionCookie = "tierdesk_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if IntegrationAuth.isIntegrationPath(request.uri.path) {
            // These endpoints check their own integration tokens.
        } else if let authorization = request.headers[.authorization] {
            guard authorization.count <= 512, authorization.lowercased().hasPrefix("bearer ") else {
                throw Problem(.unauthorized, "Only 'Authorization: Bearer <token>' is understood.")
            }
            let token = String(authorization.dropFirst("bearer ".count)).trimmingWhitespace()
            context.identity = Identity(person: try await person(token: token), proof: .apiToken)
        } else if let cookie = request.cookies[Self.sessionCookie]?.value, cookie.count <= 128 {
            let hash = Secrets.hash(cookie)
            if let session = try await environment.credentials.session(tokenHash: hash, at: environment.clock.now()) {
                context.identity = Identity(person: session.person, proof: .session(tokenHash: hash, csrfToken: session.csrfToken))
                if request.uri.path.hasPrefix("/api/"), request.method != .get, request.method != .head {
                    let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
                    guard Secrets.constantTimeEqual(sent, session.csrfToken) else {
                        throw Problem(.forbidden, "API writes made with a session cookie need the X-CSRF-Token header; use an API token for integrations.")
                    }
                }
            }
        }
        return try await next(request, context)
    }

    private func person(token: String) async throws -> Person {
        let hash = Secrets.hash(token)
        let now = environment.clock.now()
        if let person = environment.identities.value(tokenHash: hash, at: now) { return person }
        guard let owner = try await environment.credentials.tokenOwner(tokenHash: hash, at: now) else {
            throw Problem.unauthorized().with(detail: "The API token is not valid or has been revoked.")
        }
        environment.identities.remember(tokenHash: hash, tokenID: owner.tokenID, value: owner.person, at: now)
        return owner.person
    }
}

extension Problem {
    func with(detail: String) -> Problem {
        var copy = self
        copy.detail = detail
        return copy
    }
}
