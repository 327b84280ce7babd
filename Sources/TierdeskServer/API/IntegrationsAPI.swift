import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Admin settings of the channels: integration tokens (`/api/v1/settings/integrations`), mail intake
/// (`/api/v1/settings/mail-intake`) and the outbox with its dead letters (`/api/v1/outbox`).
struct IntegrationsAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let integrationTokens: TokenCache<Integration>
    let outboxWakeUps: WakeUps
    let outbox: OutboxRepository
    let integrations: IntegrationRepository
    let mailIntake: SettingCache<MailIntakeSettings>
    let directoryDesk: DirectoryDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/settings/integrations") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            return try JSONBody.response(try await integrations.all().map { IntegrationDTO($0) })
        }
        routes.signedIn(.post, "/api/v1/settings/integrations") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let input = try await JSONBody.decode(NewIntegrationDTO.self, from: request)
            let (integration, token) = try await directoryDesk.createIntegration(kind: input.kind, name: input.name)
            return try JSONBody.response(IntegrationDTO(integration, token: token), status: .created)
        }
        routes.signedIn(.delete, "/api/v1/settings/integrations/{integrationId}") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("integrationId", what: "integration")
            guard try await integrations.revoke(id, at: clock.now()) else {
                throw Problem(.notFound, "No live integration has the id \(id.uuidString).")
            }
            integrationTokens.forget(tokenID: id)
            return Response(status: .noContent)
        }
        routes.signedIn(.get, "/api/v1/settings/mail-intake") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            return try JSONBody.response(try await settings.mailIntake())
        }
        routes.signedIn(.put, "/api/v1/settings/mail-intake") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let intake = try await JSONBody.decode(MailIntakeSettings.self, from: request)
            do { try intake.validate() } catch let failure as ValidationFailure { throw TierdeskError.invalid(failure) }
            if let id = intake.organisationId, try await directory.organisation(id) == nil {
                throw TierdeskError.invalid(field: "organisationId", "no organisation has the id \(id.uuidString)")
            }
            if let id = intake.serviceId, try await directory.service(id) == nil {
                throw TierdeskError.invalid(field: "serviceId", "no service has the id \(id.uuidString)")
            }
            try await settings.save(intake)
            mailIntake.saved(intake, at: clock.now())
            return try JSONBody.response(intake)
        }
        routes.signedIn(.get, "/api/v1/outbox") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let status = try request.enumQuery("status", as: OutboxMessage.Status.self)
            return try JSONBody.response(try await outbox.list(status: status).map(OutboxMessageDTO.init))
        }
        routes.signedIn(.post, "/api/v1/outbox/{messageId}/retry") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let id = try context.uuidParameter("messageId", what: "outbox message")
            guard let message = try await outbox.retry(id, at: clock.now()) else {
                throw Problem(.notFound, "No dead outbox message has the id \(id.uuidString).")
            }
            outboxWakeUps.signal()
            return try JSONBody.response(OutboxMessageDTO(message))
        }
    }
}
