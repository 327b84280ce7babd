import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `POST /api/v1/mail/inbound`: one raw RFC 5322 message (`message/rfc822`) from a mail gateway, opened
/// with a `mailgate` integration token.
enum MailAPI {
    static func register(_ routes: APIRoutes, _ environment: TierdeskEnvironment) {
        let intake = MailIntakeDesk(environment: environment)
        routes.on(.post, "/api/v1/mail/inbound") { request, _ in
            try await IntegrationAuth.require(.mailgate, request, environment)
            let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingWhitespace().lowercased()
            guard type == "message/rfc822" else {
                throw Problem(.unsupportedMediaType, "Send the raw message with Content-Type: message/rfc822.")
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Limits.mailBytes)
            } catch {
                throw Problem(.contentTooLarge, "Messages may be at most \(Limits.mailBytes) bytes.")
            }
            guard body.readableBytes > 0 else { throw Problem.badRequest(field: "body", "is empty; send the raw message") }
            let outcome = try await intake.receive(Array(buffer: body))
            return try JSONBody.response(outcome, status: outcome.outcome == .created ? .created : .ok)
        }
    }
}

/// Integration endpoints take their own tokens, never a person's.
enum IntegrationAuth {
    @discardableResult
    static func require(_ kind: Integration.Kind, _ request: Request, _ environment: TierdeskEnvironment) async throws -> Integration {
        guard let authorization = request.headers[.authorization], authorization.count <= 512, authorization.lowercased().hasPrefix("bearer ") else {
            throw Problem.unauthorized().with(detail: "Send the \(kind.rawValue) integration token as 'Authorization: Bearer <token>'.")
        }
        let hash = Secrets.hash(String(authorization.dropFirst("bearer ".count)).trimmingWhitespace())
        let now = environment.clock.now()
        if let integration = environment.integrationTokens.value(tokenHash: hash, at: now), integration.kind == kind { return integration }
        guard let integration = try await environment.integrations.find(kind: kind, tokenHash: hash) else {
            throw Problem.unauthorized().with(detail: "The token is not a live \(kind.rawValue) integration token.")
        }
        environment.integrationTokens.remember(tokenHash: hash, tokenID: integration.id, value: integration, at: now)
        return integration
    }

    /// Paths that authenticate with integration tokens instead of people's.
    static func isIntegrationPath(_ path: String) -> Bool {
        path == "/api/v1/mail/inbound" || path.hasPrefix("/api/v1/integrations/")
    }
}
