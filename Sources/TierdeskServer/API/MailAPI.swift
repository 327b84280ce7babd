import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `POST /api/v1/mail/inbound`: one raw RFC 5322 message (`message/rfc822`) from a mail gateway, opened
/// with a `mailgate` integration token.
struct MailAPI {
    let integrationAuth: IntegrationAuth
    let mailIntakeDesk: MailIntakeDesk
    let metrics: TierdeskMetrics

    func register(_ routes: APIRoutes) {
        let intake = mailIntakeDesk
        let metrics = metrics
        routes.on(.post, "/api/v1/mail/inbound") { request, _ in
            try await integrationAuth.require(.mailgate, request)
            let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingWhitespace().lowercased()
            guard type == "message/rfc822" else {
                throw Problem(.unsupportedMediaType, "Send the raw message with Content-Type: message/rfc822.")
            }
            let outcome: InboundMailOutcome
            do {
                let body = try await request.collectBody(
                    upTo: Limits.mailBytes,
                    tooLarge: "Messages may be at most \(Limits.mailBytes) bytes."
                )
                guard body.readableBytes > 0 else {
                    throw Problem.badRequest(field: "body", "is empty; send the raw message")
                }
                outcome = try await intake.receive(Array(buffer: body))
            } catch {
                metrics.recordMail(outcome: Self.refuses(error) ? "refused" : "failed")
                throw error
            }
            metrics.recordMail(outcome: outcome.outcome.rawValue)
            return try JSONBody.response(outcome, status: outcome.outcome == .created ? .created : .ok)
        }
    }

    /// Whether an error means the message itself was refused (empty, too large or unreadable), not that
    /// storing it failed.
    static func refuses(_ error: any Error) -> Bool {
        if case .invalid = error as? TierdeskError { return true }
        return error is Problem
    }
}
