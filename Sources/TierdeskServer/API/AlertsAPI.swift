import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Monitoring intake: `POST /api/v1/integrations/alertmanager` (Alertmanager webhook, payload version 4),
/// `…/grafana` (Grafana unified alerting) and `…/events` (generic events in the Events API v2 shape), each
/// opened by its own integration token; the alert keys for staff (`GET /api/v1/alerts`) and the intake
/// settings for admins (`/api/v1/settings/alert-intake`).
struct AlertsAPI {
    let integrationAuth: IntegrationAuth
    let desk: AlertIntakeDesk

    func register(_ routes: APIRoutes) {
        let intake = desk
        for (kind, version) in [(Integration.Kind.alertmanager, "4"), (.grafana, "1")] {
            routes.on(.post, "/api/v1/integrations/\(kind.rawValue)") { request, _ in
                try await integrationAuth.require(kind, request)
                let webhook = try await JSONBody.decode(AlertGroupWebhook.self, from: request)
                if let given = webhook.version, given != version {
                    throw TierdeskError.invalid(
                        field: "version",
                        "\(AlertText.line(given, max: 20)) is not supported; \(AlertText.sourceName(kind)) webhooks use payload version \(version)"
                    )
                }
                let signals: [AlertSignal]
                do { signals = try webhook.signals(from: kind) } catch let failure as ValidationFailure {
                    throw TierdeskError.invalid(failure)
                }
                let outcomes = try await intake.ingest(signals)
                return try JSONBody.response(AlertWebhookResultDTO(alerts: outcomes.map(AlertOutcomeDTO.init)))
            }
        }
        routes.on(.post, "/api/v1/integrations/events") { request, _ in
            try await integrationAuth.require(.events, request)
            let event = try await JSONBody.decode(AlertEvent.self, from: request)
            let signal: AlertSignal
            do { signal = try event.signal(generatedKey: UUID().uuidString.lowercased()) } catch let failure
                as ValidationFailure
            { throw TierdeskError.invalid(failure) }
            let outcome = try await intake.ingest([signal])[0]
            let result = AlertEventResultDTO(
                dedupKey: signal.key,
                outcome: outcome.kind,
                ticket: outcome.ticketNumber.map(TicketReference.format),
                reason: outcome.reason
            )
            return try JSONBody.response(result, status: .accepted)
        }
        routes.signedIn(.get, "/api/v1/alerts") { request, context in
            let status = try request.enumQuery("status", as: AlertState.Status.self)
            var number: Int?
            if let raw = request.uri.queryParameters.get("ticket") {
                guard let value = TicketReference.number(in: raw) else {
                    throw Problem.badRequest(field: "ticket", "must be a ticket reference such as TD-12")
                }
                number = value
            }
            let found = try await desk.alerts(ticketNumber: number, status: status, for: context.actor)
            return try JSONBody.response(found.map(AlertDTO.init))
        }
        routes.signedIn(.get, "/api/v1/settings/alert-intake") { _, context in
            try JSONBody.response(try await desk.settings(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/alert-intake") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let settings = try await JSONBody.decode(AlertIntakeSettings.self, from: request)
            try await desk.save(settings, by: context.actor)
            return try JSONBody.response(settings)
        }
    }
}
