import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Support groups and their leads.
public struct SupportGroupRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Every group, by name.
    public func all() async throws -> [SupportGroup] {
        try await database.sql.select().columns("name", "tier", "lead_id").from("support_groups").orderBy("name").all()
            .map(Self.group)
    }

    public func find(name: String) async throws -> SupportGroup? {
        try await database.sql.select().columns("name", "tier", "lead_id").from("support_groups")
            .where("name", .equal, name).first().map(Self.group)
    }

    /// Adds or replaces a group.
    public func save(_ group: SupportGroup) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.delete(from: "support_groups").where("name", .equal, group.name).run()
            try await sql.insert(into: "support_groups").columns("name", "tier", "lead_id")
                .values(SQLBind(group.name), SQLBind(group.tier?.rawValue), SQLBind(group.leadID)).run()
        }
    }

    /// Removes a group; tickets keep its name.
    public func delete(name: String) async throws -> Bool {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            guard
                try await sql.select().column("name").from("support_groups").where("name", .equal, name).first() != nil
            else { return false }
            try await sql.delete(from: "support_groups").where("name", .equal, name).run()
            return true
        }
    }

    private static func group(_ row: any SQLRow) throws -> SupportGroup {
        SupportGroup(
            name: try row.decode(column: "name", as: String.self),
            tier: try row.decode(column: "tier", as: String?.self).flatMap(Tier.init(rawValue:)),
            leadID: try row.decode(column: "lead_id", as: UUID?.self)
        )
    }
}
