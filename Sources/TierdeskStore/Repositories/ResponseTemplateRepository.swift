import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Canned responses and macros (``M033_CreateResponseTemplates``).
public struct ResponseTemplateRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    static let columns = ["id", "name", "body", "owner_id", "status", "group_name", "assign_to_me", "created_at"]

    /// The shared templates and `personID`'s own, by name.
    public func available(to personID: UUID) async throws -> [ResponseTemplate] {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("response_templates")
            .where("owner_id", .is, SQLLiteral.null).orWhere("owner_id", .equal, personID)
            .orderBy("name").all().map(Self.template)
    }

    public func find(_ id: UUID) async throws -> ResponseTemplate? {
        try await database.sql.select().columns(Self.columns.map { SQLColumn($0) }).from("response_templates")
            .where("id", .equal, id).first().map(Self.template)
    }

    public func save(_ template: ResponseTemplate) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await sql.insert(into: "response_templates").columns(Self.columns)
                .values(
                    SQLBind(template.id),
                    SQLBind(template.name),
                    SQLBind(template.body),
                    SQLBind(template.ownerID),
                    SQLBind(template.status?.rawValue),
                    SQLBind(template.group),
                    SQLBind(template.assignToMe),
                    SQLBind(template.createdAt)
                )
                .onConflict(with: ["id"]) {
                    $0.set(excludedValueOf: "name").set(excludedValueOf: "body").set(excludedValueOf: "status")
                        .set(excludedValueOf: "group_name").set(excludedValueOf: "assign_to_me")
                }
                .run()
        }
    }

    /// Removes a template; false when there was none.
    public func delete(_ id: UUID) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "response_templates").where("id", .equal, id)
                .returning("id").all().count > 0
        }
    }

    private static func template(_ row: any SQLRow) throws -> ResponseTemplate {
        ResponseTemplate(
            id: try row.decode(column: "id", as: UUID.self),
            name: try row.decode(column: "name", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            ownerID: try row.decode(column: "owner_id", as: UUID?.self),
            status: try row.decode(column: "status", as: String?.self).flatMap(TicketStatus.init(rawValue:)),
            group: try row.decode(column: "group_name", as: String?.self),
            assignToMe: try row.decode(column: "assign_to_me", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }
}
