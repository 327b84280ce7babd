import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Admin settings of the channels: integration tokens (`/api/v1/settings/integrations`), mail intake
/// (`/api/v1/settings/mail-intake`) and the outbox with its dead letters (`/api/v1/outbox`).
struct IntegrationsAPI {
    let desk: SettingsDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/integrations") { _, context in
            try JSONBody.response(try await desk.integrations(for: context.actor).map { IntegrationDTO($0) })
        }
        routes.signedIn(.post, "/api/v1/settings/integrations") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let input = try await JSONBody.decode(NewIntegrationDTO.self, from: request)
            let (integration, token) = try await desk.createIntegration(
                kind: input.kind,
                name: input.name,
                by: context.actor
            )
            return try JSONBody.response(IntegrationDTO(integration, token: token), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/settings/integrations/{integrationId}") { _, context in
            try DirectoryDesk.requireConfigure(context.actor)
            try await desk.revokeIntegration(
                try context.uuidParameter("integrationId", what: "integration"),
                by: context.actor
            )
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/settings/mail-intake") { _, context in
            try JSONBody.response(try await desk.mailIntake(for: context.actor))
        }
        routes.signedIn(.put, "/api/v1/settings/mail-intake") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let intake = try await JSONBody.decode(MailIntakeSettings.self, from: request)
            try await desk.save(intake, by: context.actor)
            return try JSONBody.response(intake)
        }
        routes.signedIn(.get, "/api/v1/outbox") { request, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let status = try request.enumQuery("status", as: OutboxMessage.Status.self)
            return try JSONBody.response(
                try await desk.outbox(status: status, for: context.actor).map(OutboxMessageDTO.init)
            )
        }
        routes.signedIn(.post, "/api/v1/outbox/{messageId}/retry") { _, context in
            try DirectoryDesk.requireConfigure(context.actor)
            let message = try await desk.retry(
                try context.uuidParameter("messageId", what: "outbox message"),
                by: context.actor
            )
            return try JSONBody.response(OutboxMessageDTO(message))
        }
    }
}
