import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Integration endpoints take their own tokens, never a person's.
struct IntegrationAuth {
    let clock: any Clock
    let integrationTokens: TokenCache<Integration>
    let integrations: IntegrationRepository

    @discardableResult
    func require(_ kind: Integration.Kind, _ request: Request) async throws -> Integration {
        guard let authorization = request.headers[.authorization], authorization.count <= 512, authorization.lowercased().hasPrefix("bearer ") else {
            throw Problem.unauthorized().with(detail: "Send the \(kind.rawValue) integration token as 'Authorization: Bearer <token>'.")
        }
        let hash = Secrets.hash(String(authorization.dropFirst("bearer ".count)).trimmingWhitespace())
        let now = clock.now()
        if let integration = integrationTokens.value(tokenHash: hash, at: now), integration.kind == kind { return integration }
        guard let integration = try await integrations.find(kind: kind, tokenHash: hash) else {
            throw Problem.unauthorized().with(detail: "The token is not a live \(kind.rawValue) integration token.")
        }
        integrationTokens.remember(tokenHash: hash, tokenID: integration.id, value: integration, at: now)
        return integration
    }

    /// Paths that authenticate with integration tokens instead of people's.
    static func isIntegrationPath(_ path: String) -> Bool {
        path == "/api/v1/mail/inbound" || path.hasPrefix("/api/v1/integrations/")
    }
}
