import FluentKit
import SQLKit
import Foundation
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

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// The priority matrix; the standard one until an admin changes it.
    public func priorityMatrix() async throws -> PriorityMatrix {
        guard let model = try await SettingModel.find(Self.matrixKey, on: database.db) else { return .standard }
        let entries = try JSONDecoder().decode([PriorityMatrix.Entry].self, from: Data(model.value.utf8))
        return try PriorityMatrix(entries: entries)
    }

    public func save(_ matrix: PriorityMatrix) async throws {
        try await save(String(decoding: try JSONEncoder().encode(matrix.entries), as: UTF8.self), key: Self.matrixKey)
    }

    /// The escalation gates per service; every gate on until an admin changes them.
    public func escalationGates() async throws -> EscalationGateSettings {
        guard let model = try await SettingModel.find(Self.gatesKey, on: database.db) else { return EscalationGateSettings() }
        return try JSONDecoder().decode(EscalationGateSettings.self, from: Data(model.value.utf8))
    }

    public func save(_ gates: EscalationGateSettings) async throws {
        try await save(String(decoding: try JSONEncoder().encode(gates), as: UTF8.self), key: Self.gatesKey)
    }

    /// The triage rules in order; the seed rules until an admin changes them.
    public func triageRules() async throws -> TriageRules {
        guard let model = try await SettingModel.find(Self.rulesKey, on: database.db) else { return .standard }
        return try JSONDecoder().decode(TriageRules.self, from: Data(model.value.utf8))
    }

    public func save(_ rules: TriageRules) async throws {
        try await save(String(decoding: try JSONEncoder().encode(rules), as: UTF8.self), key: Self.rulesKey)
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

    private func decoded<T: Decodable>(key: String) async throws -> T? {
        guard let model = try await SettingModel.find(key, on: database.db) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(model.value.utf8))
    }

    private func save(encoded value: some Encodable, key: String) async throws {
        try await save(String(decoding: try JSONEncoder().encode(value), as: UTF8.self), key: key)
    }

    /// The operations owner of each week (`2026-W47`), who runs the weekly triage.
    public func operationsOwners() async throws -> [String: UUID] {
        guard let model = try await SettingModel.find(Self.operationsKey, on: database.db) else { return [:] }
        return try JSONDecoder().decode([String: UUID].self, from: Data(model.value.utf8))
    }

    /// Sets (or with nil clears) a week's operations owner, in one transaction with the other weeks'.
    public func setOperationsOwner(_ person: UUID?, for week: IsoWeek) async throws {
        _ = try await update(key: Self.operationsKey, initial: "{}") { text in
            var owners = try JSONDecoder().decode([String: UUID].self, from: Data(text.utf8))
            owners[week.description] = person
            return String(decoding: try JSONEncoder().encode(owners), as: UTF8.self)
        }
    }

    /// The SLA calendars and policies; the seed configuration until an admin changes them.
    public func slaConfiguration() async throws -> SLAConfiguration {
        guard let model = try await SettingModel.find(Self.slaKey, on: database.db) else { return .standard }
        return try JSONDecoder().decode(SLAConfigurationSpec.self, from: Data(model.value.utf8)).configuration()
    }

    /// Changes the SLA configuration in one transaction: `change` gets the stored one (locked against other
    /// writers) and returns the new one, which is stored and returned.
    public func updateSLAConfiguration(_ change: @escaping @Sendable (SLAConfiguration) throws -> SLAConfiguration) async throws -> SLAConfiguration {
        let stored = try await update(key: Self.slaKey, initial: try Self.json(.standard)) { text in
            try Self.json(try change(try JSONDecoder().decode(SLAConfigurationSpec.self, from: Data(text.utf8)).configuration()))
        }
        return try JSONDecoder().decode(SLAConfigurationSpec.self, from: Data(stored.utf8)).configuration()
    }

    /// Read-modify-write of one setting in one transaction; the row is locked against other writers.
    private func update(key: String, initial: String, _ change: @escaping @Sendable (String) throws -> String) async throws -> String {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.insert(into: "settings").columns("key", "value").values(SQLBind(key), SQLBind(initial))
                .ignoringConflicts(with: "key").run()
            let select = sql.select().column("value").from("settings").where("key", .equal, key)
            if sql.dialect.name == "postgresql" { select.lockingClause(SQLLockingClause.update) }
            let next = try change(try await select.first(decodingColumn: "value", as: String.self) ?? initial)
            try await sql.update("settings").set("value", to: SQLBind(next)).where("key", .equal, key).run()
            return next
        }
    }

    private static func json(_ configuration: SLAConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(SLAConfigurationSpec(configuration)), as: UTF8.self)
    }

    private func save(_ json: String, key: String) async throws {
        try await database.write { db in
            let model = try await SettingModel.find(key, on: db) ?? {
                let model = SettingModel()
                model.id = key
                return model
            }()
            model.value = json
            try await model.save(on: db)
        }
    }
}
