import FluentKit
import Foundation
import TierdeskCore

/// Admin-editable settings stored as JSON.
public struct SettingsRepository: Sendable {
    let database: TierdeskDatabase
    private static let matrixKey = "priority_matrix"

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
        let json = String(decoding: try JSONEncoder().encode(matrix.entries), as: UTF8.self)
        try await database.write { db in
            let model = try await SettingModel.find(Self.matrixKey, on: db) ?? {
                let model = SettingModel()
                model.id = Self.matrixKey
                return model
            }()
            model.value = json
            try await model.save(on: db)
        }
    }
}
