import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Admin-editable settings stored as JSON.
public struct SettingsRepository: Sendable {
    let database: TierdeskDatabase
    private static let matrixKey = "priority_matrix"
    private static let slaKey = "sla_configuration"
    private static let gatesKey = "escalation_gates"
    private static let operationsKey = "operations_owners"
    private static let rulesKey = "triage_rules"
    private static let mailIntakeKey = "mail_intake"
    private static let alertIntakeKey = "alert_intake"
    private static let pagingKey = "paging"
    private static let pagingSecretKey = "paging_secret"
    private static let pageLinkKey = "page_link_key"
    private static let billingKey = "billing"
    private static let incidentPolicyKey = "incident_policy"
    private static let chatIntakeKey = "chat_intake"
    private static let digestKey = "report_digest_opt_outs"

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// The priority matrix; the standard one until an admin changes it.
    public func priorityMatrix() async throws -> PriorityMatrix {
        guard let entries: [PriorityMatrix.Entry] = try await decoded(key: Self.matrixKey) else { return .standard }
        return try PriorityMatrix(entries: entries)
    }

    public func save(_ matrix: PriorityMatrix) async throws {
        try await save(encoded: matrix.entries, key: Self.matrixKey)
    }

    /// The escalation gates per service; every gate on until an admin changes them.
    public func escalationGates() async throws -> EscalationGateSettings {
        try await decoded(key: Self.gatesKey) ?? EscalationGateSettings()
    }

    public func save(_ gates: EscalationGateSettings) async throws {
        try await save(encoded: gates, key: Self.gatesKey)
    }

    /// The triage rules in order; the default rules until an admin changes them.
    public func triageRules() async throws -> TriageRules {
        try await decoded(key: Self.rulesKey) ?? .standard
    }

    public func save(_ rules: TriageRules) async throws {
        try await save(encoded: rules, key: Self.rulesKey)
    }

    /// How incoming mail is taken; unknown senders are refused until an admin changes it.
    public func mailIntake() async throws -> MailIntakeSettings {
        try await decoded(key: Self.mailIntakeKey) ?? MailIntakeSettings()
    }

    public func save(_ intake: MailIntakeSettings) async throws {
        try await save(encoded: intake, key: Self.mailIntakeKey)
    }

    /// How monitoring alerts become tickets; alerts are refused until a reporter is set.
    public func alertIntake() async throws -> AlertIntakeSettings {
        try await decoded(key: Self.alertIntakeKey) ?? AlertIntakeSettings()
    }

    public func save(_ intake: AlertIntakeSettings) async throws {
        try await save(encoded: intake, key: Self.alertIntakeKey)
    }

    /// How pages start and travel; nothing pages until an admin names the policies.
    public func paging() async throws -> PagingSettings {
        try await Self.paging(on: database.sql)
    }

    static func paging(on sql: any SQLDatabase) async throws -> PagingSettings {
        try await decoded(key: pagingKey, on: sql) ?? PagingSettings()
    }

    public func save(_ paging: PagingSettings) async throws {
        try await save(encoded: paging, key: Self.pagingKey)
    }

    /// How major incidents are run: cadence, reminders, reviews, automatic declaration and templates.
    public func incidentPolicy() async throws -> IncidentPolicy {
        try await Self.incidentPolicy(on: database.sql)
    }

    static func incidentPolicy(on sql: any SQLDatabase) async throws -> IncidentPolicy {
        try await decoded(key: incidentPolicyKey, on: sql) ?? IncidentPolicy()
    }

    public func save(_ policy: IncidentPolicy) async throws {
        try await save(encoded: policy, key: Self.incidentPolicyKey)
    }

    /// How chat reaches the desk: signing secret, token and linked accounts.
    public func billing() async throws -> BillingSettings {
        try await decoded(key: Self.billingKey) ?? BillingSettings()
    }

    public func save(_ billing: BillingSettings) async throws {
        try await save(encoded: billing, key: Self.billingKey)
    }

    public func chatIntake() async throws -> ChatIntakeSettings {
        try await decoded(key: Self.chatIntakeKey) ?? ChatIntakeSettings()
    }

    public func save(_ chat: ChatIntakeSettings) async throws {
        try await save(encoded: chat, key: Self.chatIntakeKey)
    }

    /// The secret that signs pages posted to webhooks and the gateway. The first caller's `candidate`
    /// becomes it; with `replace`, the candidate replaces it.
    public func pagingSecret(candidate: String, replace: Bool = false) async throws -> String {
        try await update(key: Self.pagingSecretKey, initial: candidate) { stored in
            (replace ? candidate : stored, replace ? candidate : stored)
        }
    }

    /// The secret that signs pages, if one was made.
    public func pagingSecret() async throws -> String? {
        try await SettingModel.find(Self.pagingSecretKey, on: database.db)?.value
    }

    /// The key that signs acknowledgement links; never shown, never rotated by the API. The first caller's
    /// `candidate` becomes it.
    public func pageLinkKey(candidate: String) async throws -> String {
        try await update(key: Self.pageLinkKey, initial: candidate) { stored in (stored, stored) }
    }

    private func decoded<T: Decodable>(key: String) async throws -> T? {
        try await Self.decoded(key: key, on: database.sql)
    }

    /// A setting's JSON value as `T`, nil if it was never set; also inside another write's transaction.
    private static func decoded<T: Decodable>(key: String, on sql: any SQLDatabase) async throws -> T? {
        guard
            let text = try await sql.select().column("value").from("settings").where("key", .equal, key)
                .first(decodingColumn: "value", as: String.self)
        else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    private func save(encoded value: some Encodable, key: String) async throws {
        try await save(String(decoding: try JSONEncoder().encode(value), as: UTF8.self), key: key)
    }

    /// The people who asked not to get the weekly report digest.
    public func digestOptOuts() async throws -> Set<UUID> {
        Set(try await decoded(key: Self.digestKey) as [UUID]? ?? [])
    }

    /// Records whether `person` gets the weekly report digest, in one transaction with everyone else's choice.
    public func setDigest(_ subscribed: Bool, for person: UUID) async throws {
        _ = try await update(key: Self.digestKey, initial: "[]") { text in
            var optedOut = Set(try JSONDecoder().decode([UUID].self, from: Data(text.utf8)))
            if subscribed { optedOut.remove(person) } else { optedOut.insert(person) }
            let sorted = optedOut.sorted { $0.uuidString < $1.uuidString }
            return (String(decoding: try JSONEncoder().encode(sorted), as: UTF8.self), ())
        }
    }

    /// The operations owner of each week (`2026-W47`), who runs the weekly triage.
    public func operationsOwners() async throws -> [String: UUID] {
        try await decoded(key: Self.operationsKey) ?? [:]
    }

    /// Sets (or with nil clears) a week's operations owner, in one transaction with the other weeks'.
    public func setOperationsOwner(_ person: UUID?, for week: IsoWeek) async throws {
        _ = try await update(key: Self.operationsKey, initial: "{}") { text in
            var owners = try JSONDecoder().decode([String: UUID].self, from: Data(text.utf8))
            owners[week.description] = person
            return (String(decoding: try JSONEncoder().encode(owners), as: UTF8.self), ())
        }
    }

    /// The SLA calendars and policies; the default configuration until an admin changes them.
    public func slaConfiguration() async throws -> SLAConfiguration {
        let spec: SLAConfigurationSpec? = try await decoded(key: Self.slaKey)
        return try spec?.configuration() ?? .standard
    }

    /// Changes the SLA configuration in one transaction: `change` gets the stored one (locked against other
    /// writers) and returns the new one, which is stored. Returns the configuration before and after.
    public func updateSLAConfiguration(_ change: @escaping @Sendable (SLAConfiguration) throws -> SLAConfiguration)
        async throws -> (before: SLAConfiguration, after: SLAConfiguration)
    {
        try await update(key: Self.slaKey, initial: try Self.json(.standard)) { text in
            let before = try JSONDecoder().decode(SLAConfigurationSpec.self, from: Data(text.utf8)).configuration()
            let after = try change(before)
            return (try Self.json(after), (before, after))
        }
    }

    /// Read-modify-write of one setting in one transaction; the row is locked against other writers.
    /// `change` returns the text to store and what the caller gets back.
    private func update<T: Sendable>(
        key: String,
        initial: String,
        _ change: @escaping @Sendable (String) throws -> (String, T)
    ) async throws -> T {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.insert(into: "settings").columns("key", "value").values(SQLBind(key), SQLBind(initial))
                .ignoringConflicts(with: "key").run()
            let select = sql.select().column("value").from("settings").where("key", .equal, key)
            select.lockedForUpdate(on: sql.engine)
            let (next, result) = try change(try await select.first(decodingColumn: "value", as: String.self) ?? initial)
            try await sql.update("settings").set("value", to: SQLBind(next)).where("key", .equal, key).run()
            return result
        }
    }

    private static func json(_ configuration: SLAConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(SLAConfigurationSpec(configuration)), as: UTF8.self)
    }

    private func save(_ json: String, key: String) async throws {
        try await database.write { db in
            let model =
                try await SettingModel.find(key, on: db)
                ?? {
                    let model = SettingModel()
                    model.id = key
                    return model
                }()
            model.value = json
            try await model.save(on: db)
        }
    }
}
