import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Integration tokens; only their hashes are stored.
public struct IntegrationRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Adds an integration; a kind may have one integration of each name.
    public func create(kind: Integration.Kind, name: String, tokenHash: String, at now: Date) async throws
        -> Integration
    {
        let integration = Integration(id: UUID(), kind: kind, name: name, createdAt: now)
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let taken = try await sql.select().column("id").from("integrations").where("kind", .equal, kind.rawValue)
                .where("name", .equal, name).first()
            guard taken == nil else {
                throw TierdeskError.conflict("A \(kind.rawValue) integration named \"\(name)\" exists already.")
            }
            try await sql.insert(into: "integrations").columns("id", "kind", "name", "token_hash", "created_at")
                .values(
                    SQLBind(integration.id),
                    SQLBind(kind.rawValue),
                    SQLBind(name),
                    SQLBind(tokenHash),
                    SQLBind(now)
                )
                .run()
        }
        return integration
    }

    /// The live integration of this kind with this token hash.
    public func find(kind: Integration.Kind, tokenHash: String) async throws -> Integration? {
        try await database.sql.select().columns("id", "kind", "name", "created_at", "revoked_at").from("integrations")
            .where("token_hash", .equal, tokenHash).where("kind", .equal, kind.rawValue)
            .where("revoked_at", .is, SQLLiteral.null)
            .first().map(Self.integration)
    }

    public func all() async throws -> [Integration] {
        try await database.sql.select().columns("id", "kind", "name", "created_at", "revoked_at").from("integrations")
            .orderBy("kind").orderBy("name").all().map(Self.integration)
    }

    /// Revokes a token; false if there is no live integration with this id.
    public func revoke(_ id: UUID, at now: Date) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("integrations").set("revoked_at", to: SQLBind(now))
                .where("id", .equal, id).where("revoked_at", .is, SQLLiteral.null).returning("id").all().count == 1
        }
    }

    private static func integration(_ row: any SQLRow) throws -> Integration {
        Integration(
            id: try row.decode(column: "id", as: UUID.self),
            kind: Integration.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .events,
            name: try row.decode(column: "name", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            revokedAt: try row.decode(column: "revoked_at", as: Date?.self)
        )
    }
}
