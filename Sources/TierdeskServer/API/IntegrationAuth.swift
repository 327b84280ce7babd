import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Integration endpoints take their own tokens, never a person's.
struct IntegrationAuth {
    let settings: SettingsDesk

    @discardableResult
    func require(_ kind: Integration.Kind, _ request: Request) async throws -> Integration {
        guard let authorization = request.headers[.authorization], authorization.count <= 512,
            authorization.lowercased().hasPrefix("bearer ")
        else {
            throw Problem.unauthorized()
                .with(detail: "Send the \(kind.rawValue) integration token as 'Authorization: Bearer <token>'.")
        }
        let token = String(authorization.dropFirst("bearer ".count)).trimmingWhitespace()
        guard let integration = try await settings.integration(kind, token: token) else {
            throw Problem.unauthorized().with(detail: "The token is not a live \(kind.rawValue) integration token.")
        }
        return integration
    }

    /// Paths that authenticate with their own tokens instead of people's: integrations, and `/metrics` with
    /// the scrape token.
    static func isIntegrationPath(_ path: String) -> Bool {
        path == "/api/v1/mail/inbound" || path.hasPrefix("/api/v1/integrations/") || path == "/metrics"
    }
}
