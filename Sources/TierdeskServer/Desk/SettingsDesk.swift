import Foundation
import TierdeskCore
import TierdeskStore

/// The admin settings every instance reads through a cache (priority matrix, escalation gates, mail
/// intake), the integrations that feed tickets in, and the outbox's dead letters. Reading the matrix is
/// open to anyone signed in; everything else is for admins (gates also for staff who read the directory).
struct SettingsDesk: Sendable {
    let clock: any Clock
    let settings: SettingsRepository
    let directory: DirectoryRepository
    let integrations: IntegrationRepository
    let integrationTokens: TokenCache<Integration>
    let outbox: OutboxRepository
    let outboxWakeUps: WakeUps
    let priorityMatrix: SettingCache<PriorityMatrix>
    let escalationGates: SettingCache<EscalationGateSettings>
    let mailIntake: SettingCache<MailIntakeSettings>

    // MARK: Priority matrix

    func priorityMatrix() async throws -> PriorityMatrix {
        try await settings.priorityMatrix()
    }

    func save(_ matrix: PriorityMatrix, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        try await settings.save(matrix)
        priorityMatrix.saved(matrix, at: clock.now())
    }

    // MARK: Escalation gates

    func escalationGates(for actor: Actor) async throws -> EscalationGateSettings {
        try DirectoryDesk.requireDirectory(actor)
        return try await settings.escalationGates()
    }

    func save(_ gates: EscalationGateSettings, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        for id in gates.services.keys.sorted(by: { $0.uuidString < $1.uuidString })
        where try await directory.service(id) == nil {
            throw TierdeskError.invalid(field: "services.\(id.uuidString)", "no service has this id")
        }
        try await settings.save(gates)
        escalationGates.saved(gates, at: clock.now())
    }

    // MARK: Mail intake

    func mailIntake(for actor: Actor) async throws -> MailIntakeSettings {
        try DirectoryDesk.requireConfigure(actor)
        return try await settings.mailIntake()
    }

    func save(_ intake: MailIntakeSettings, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        do { try intake.validate() } catch { throw TierdeskError.invalid(error) }
        if let id = intake.organisationId, try await directory.organisation(id) == nil {
            throw TierdeskError.invalid(field: "organisationId", "no organisation has the id \(id.uuidString)")
        }
        if let id = intake.serviceId, try await directory.service(id) == nil {
            throw TierdeskError.invalid(field: "serviceId", "no service has the id \(id.uuidString)")
        }
        try await settings.save(intake)
        mailIntake.saved(intake, at: clock.now())
    }

    // MARK: Integrations

    /// The live integration of `kind` a token belongs to, if any; remembered for a few seconds.
    func integration(_ kind: Integration.Kind, token: String) async throws -> Integration? {
        let hash = Secrets.hash(token)
        let now = clock.now()
        if let integration = integrationTokens.value(tokenHash: hash, at: now), integration.kind == kind {
            return integration
        }
        guard let integration = try await integrations.find(kind: kind, tokenHash: hash) else { return nil }
        integrationTokens.remember(tokenHash: hash, tokenID: integration.id, value: integration, at: now)
        return integration
    }

    func integrations(for actor: Actor) async throws -> [Integration] {
        try DirectoryDesk.requireConfigure(actor)
        return try await integrations.all()
    }

    /// Adds an integration; its secret token is returned once and stored only as a hash.
    func createIntegration(kind: Integration.Kind, name: String) async throws -> (Integration, String) {
        var errors: [FieldError] = []
        let name = TextLimits.line(name, field: "name", maxCharacters: TextLimits.label, errors: &errors)
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let secret = Secrets.token(prefix: "tdi_")
        let integration = try await integrations.create(
            kind: kind,
            name: name,
            tokenHash: Secrets.hash(secret),
            at: clock.now()
        )
        return (integration, secret)
    }

    func createIntegration(kind: Integration.Kind, name: String, by actor: Actor) async throws -> (Integration, String)
    {
        try DirectoryDesk.requireConfigure(actor)
        return try await createIntegration(kind: kind, name: name)
    }

    func revokeIntegration(_ id: UUID, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        guard try await integrations.revoke(id, at: clock.now()) else {
            throw TierdeskError.notFound("No live integration has the id \(id.uuidString).")
        }
        integrationTokens.forget(tokenID: id)
    }

    // MARK: Outbox

    func outbox(status: OutboxMessage.Status?, for actor: Actor) async throws -> [OutboxMessage] {
        try DirectoryDesk.requireConfigure(actor)
        return try await outbox.list(status: status)
    }

    /// Sends a dead message again.
    func retry(_ id: UUID, by actor: Actor) async throws -> OutboxMessage {
        try DirectoryDesk.requireConfigure(actor)
        guard let message = try await outbox.retry(id, at: clock.now()) else {
            throw TierdeskError.notFound("No dead outbox message has the id \(id.uuidString).")
        }
        outboxWakeUps.signal()
        return message
    }
}
