import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Organisations, vendors, services and people.
public struct DirectoryRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    // MARK: Organisations

    public func organisations() async throws -> [Organisation] {
        try await OrganisationModel.query(on: database.db).sort(\.$name).all().map(\.domain)
    }

    /// The names of the rows of `table` (`organisations`, `people`, `services`, `vendors`) with these ids
    /// (every row's when nil), in one query of two columns: what lists of tickets show.
    public func names(in table: NamedTable, ids: Set<UUID>?) async throws -> [UUID: String] {
        if ids?.isEmpty == true { return [:] }
        var names: [UUID: String] = [:]
        let select = database.sql.select().column("id").column("name").from(table.rawValue)
        if let ids { select.where(SQLColumn("id"), .in, SQLBind.group(Array(ids))) }
        for row in try await select.all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// The tables whose rows have a name.
    public enum NamedTable: String, Sendable {
        case organisations, people, services, vendors
    }

    public func organisation(_ id: UUID) async throws -> Organisation? {
        try await OrganisationModel.find(id, on: database.db)?.domain
    }

    /// Stores a new or changed organisation; a duplicate name is a conflict.
    public func save(_ organisation: Organisation) async throws {
        try await database.write { db in
            try await Self.ensureUnique(
                OrganisationModel.query(on: db).filter(\.$name == organisation.name).filter(\.$id != organisation.id),
                "An organisation named \(organisation.name) exists already."
            )
            let model = try await OrganisationModel.find(organisation.id, on: db) ?? OrganisationModel(organisation)
            model.name = organisation.name
            model.sharesTickets = organisation.sharesTickets
            try await model.save(on: db)
            database.ticketCache?.removeAll()
        }
    }

    // MARK: Vendors

    public func vendors() async throws -> [Vendor] {
        try await VendorModel.query(on: database.db).sort(\.$name).all().map(\.domain)
    }

    public func vendor(_ id: UUID) async throws -> Vendor? {
        try await VendorModel.find(id, on: database.db)?.domain
    }

    public func save(_ vendor: Vendor) async throws {
        try await database.write { db in
            try await Self.ensureUnique(
                VendorModel.query(on: db).filter(\.$name == vendor.name).filter(\.$id != vendor.id),
                "A vendor named \(vendor.name) exists already."
            )
            let model = try await VendorModel.find(vendor.id, on: db) ?? VendorModel(vendor)
            model.name = vendor.name
            try await model.save(on: db)
        }
    }

    // MARK: Services

    public func services() async throws -> [Service] {
        try await ServiceModel.query(on: database.db).sort(\.$name).all().map(\.domain)
    }

    public func service(_ id: UUID) async throws -> Service? {
        try await ServiceModel.find(id, on: database.db)?.domain
    }

    public func save(_ service: Service) async throws {
        try await database.write { db in
            try await Self.ensureUnique(
                ServiceModel.query(on: db).filter(\.$name == service.name).filter(\.$id != service.id),
                "A service named \(service.name) exists already."
            )
            let model = try await ServiceModel.find(service.id, on: db) ?? ServiceModel(service)
            model.name = service.name
            model.supportModel = service.supportModel.rawValue
            try await model.save(on: db)
        }
    }

    // MARK: People

    /// Everyone, or the holders of one role, filtered in the database (no role name contains another).
    /// The people of an organisation, by name.
    public func people(organisation: UUID) async throws -> [Person] {
        try await PersonModel.query(on: database.db).filter(\.$organisationID == organisation).sort(\.$name).all()
            .map(\.domain)
    }

    public func people(role: Role? = nil) async throws -> [Person] {
        let query = PersonModel.query(on: database.db).sort(\.$name)
        if let role { query.filter(\.$roles ~~ role.rawValue) }
        return try await query.all().map(\.domain)
    }

    /// Active agents, managers and admins, by name, filtered in the database: who may be on call.
    public func activeStaff() async throws -> [Person] {
        try await staffQuery(PersonRow.columns).orderBy("name")
            .all(decoding: PersonRow.self, with: TicketRepository.snakeCaseDecoder).map(\.domain)
    }

    /// The active staff as actors: who they are and what they may do, without the rest of their record
    /// (what a report asks on every call to judge data corrections).
    public func activeStaffActors() async throws -> [Actor] {
        try await staffQuery(["id", "roles", "tier", "organisation_id", "vendor_id"]).all()
            .map { row in
                Actor(
                    personID: try row.decode(column: "id", as: UUID.self),
                    roles: PersonModel.roles(stored: try row.decode(column: "roles", as: String.self)),
                    tier: try row.decode(column: "tier", as: String?.self).flatMap(Tier.init(rawValue:)),
                    organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                    vendorID: try row.decode(column: "vendor_id", as: UUID?.self)
                )
            }
    }

    /// The active people with a staff role, `columns` of each.
    private func staffQuery(_ columns: [String]) -> SQLSelectBuilder {
        database.sql.select().columns(columns.map { SQLColumn($0) }).from("people")
            .where("active", .equal, SQLBind(true))
            .where { group in
                for role in [Role.agent, .manager, .admin] {
                    group.orWhere("roles", .like, SQLBind("%\(role.rawValue)%"))
                }
                return group
            }
    }

    /// The people with these ids, in one query.
    public func people(ids: Set<UUID>) async throws -> [Person] {
        try await Self.people(ids: ids, on: database.db)
    }

    /// The active contacts of these vendors, in one query; also inside another write's transaction.
    static func vendorContacts(of vendors: Set<UUID>, on db: any Database) async throws -> [Person] {
        guard !vendors.isEmpty else { return [] }
        return try await PersonModel.query(on: db).filter(\.$vendorID ~~ Array(vendors)).filter(\.$active == true)
            .all().map(\.domain).filter { $0.roles.contains(.vendor) }
    }

    /// The people with these ids, in one query; also inside another write's transaction.
    static func people(ids: Set<UUID>, on db: any Database) async throws -> [Person] {
        guard !ids.isEmpty else { return [] }
        return try await PersonModel.query(on: db).filter(\.$id ~~ Array(ids)).all().map(\.domain)
    }

    public func person(_ id: UUID) async throws -> Person? {
        try await PersonModel.find(id, on: database.db)?.domain
    }

    public func person(email: String) async throws -> Person? {
        try await PersonModel.query(on: database.db).filter(\.$email == Person.normalisedEmail(email)).first()?.domain
    }

    /// The person and their stored password hash, for logging in.
    public func credentials(email: String) async throws -> (Person, String?)? {
        guard
            let model = try await PersonModel.query(on: database.db).filter(\.$email == Person.normalisedEmail(email))
                .first()
        else { return nil }
        return (model.domain, model.passwordHash)
    }

    /// The people who have no password (invited, or created for mail and never set one).
    public func peopleWithoutPassword() async throws -> Set<UUID> {
        Set(
            try await database.sql.select().column("id").from("people").where("password_hash", .is, SQLLiteral.null)
                .all(decodingColumn: "id", as: UUID.self)
        )
    }

    /// Stores a new or changed person. `passwordHash` replaces the stored hash when given.
    /// A second person with the same e-mail is a conflict.
    public func save(_ person: Person, passwordHash: String? = nil) async throws {
        try await database.write { db in try await Self.save(person, passwordHash: passwordHash, on: db) }
    }

    /// ``save(_:passwordHash:)`` inside a write.
    static func save(_ person: Person, passwordHash: String?, on db: any Database) async throws {
        try await Self.ensureUnique(
            PersonModel.query(on: db).filter(\.$email == person.email).filter(\.$id != person.id),
            "A person with the e-mail \(person.email) exists already."
        )
        if let model = try await PersonModel.find(person.id, on: db) {
            model.apply(person)
            if let passwordHash { model.passwordHash = passwordHash }
            try await model.save(on: db)
        } else {
            try await PersonModel(person, passwordHash: passwordHash).create(on: db)
        }
    }

    private static func ensureUnique<M: Model>(_ query: QueryBuilder<M>, _ message: String) async throws {
        if try await query.count() > 0 { throw TierdeskError.conflict(message) }
    }
}
