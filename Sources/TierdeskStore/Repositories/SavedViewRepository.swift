import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// People's saved queue views (``M034_CreateSavedViews``).
public struct SavedViewRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// `personID`'s views, by name.
    public func views(of personID: UUID) async throws -> [SavedView] {
        try await database.sql.select().columns("id", "person_id", "name", "address", "created_at").from("saved_views")
            .where("person_id", .equal, personID).orderBy("name").all()
            .map { row in
                SavedView(
                    id: try row.decode(column: "id", as: UUID.self),
                    personID: try row.decode(column: "person_id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self),
                    address: try row.decode(column: "address", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self)
                )
            }
    }

    /// Stores a view; one of the same name and person takes the new address. Refuses a person's view past
    /// ``SavedView/maxPerPerson``.
    public func save(_ view: SavedView) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let count =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("saved_views")
                .where("person_id", .equal, view.personID).where("name", .notEqual, SQLBind(view.name))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            guard count < SavedView.maxPerPerson else {
                throw TierdeskError.invalid(
                    field: "name",
                    "you keep \(SavedView.maxPerPerson) views already; remove one first"
                )
            }
            try await sql.insert(into: "saved_views").columns("id", "person_id", "name", "address", "created_at")
                .values(
                    SQLBind(view.id),
                    SQLBind(view.personID),
                    SQLBind(view.name),
                    SQLBind(view.address),
                    SQLBind(view.createdAt)
                )
                .onConflict(with: ["person_id", "name"]) { $0.set(excludedValueOf: "address") }.run()
        }
    }

    /// Removes one of `personID`'s views; false when they have none by that id.
    public func delete(_ id: UUID, of personID: UUID) async throws -> Bool {
        try await database.write { db in
            try await (db as! any SQLDatabase).delete(from: "saved_views").where("id", .equal, id)
                .where("person_id", .equal, personID).returning("id").all().count > 0
        }
    }
}
