import Foundation
import TierdeskCore
import TierdeskStore

/// Organisations, services, vendors, people and support groups as each channel reads and changes them:
/// staff see the directory, requesters their own organisation, admins change it.
extension DirectoryDesk {
    /// Changes to a person; `nil` leaves a field, `.some(nil)` clears a clearable one.
    struct PersonChanges: Sendable {
        var email: String?
        var name: String?
        var roles: Set<Role>?
        var tier: Tier??
        var organisationID: UUID??
        var vendorID: UUID??
        var active: Bool?
        var password: String?
    }

    // MARK: Organisations

    /// Staff see every organisation; anyone else only their own.
    func organisations(for actor: Actor) async throws -> [Organisation] {
        let all = try await directory.organisations()
        return actor.isStaff ? all : all.filter { $0.id == actor.organisationID }
    }

    func organisation(_ id: UUID, for actor: Actor) async throws -> Organisation {
        guard actor.isStaff || actor.organisationID == id, let organisation = try await directory.organisation(id)
        else {
            throw TierdeskError.notFound("No organisation has the id \(id.uuidString).")
        }
        return organisation
    }

    func createOrganisation(name: String, sharesTickets: Bool, by actor: Actor) async throws -> Organisation {
        try Self.requireConfigure(actor)
        let organisation = Organisation(
            id: UUID(),
            name: try Self.validName(name),
            sharesTickets: sharesTickets,
            createdAt: now
        )
        try await directory.save(organisation)
        return organisation
    }

    func updateOrganisation(_ id: UUID, name: String?, sharesTickets: Bool?, by actor: Actor) async throws
        -> Organisation
    {
        try Self.requireConfigure(actor)
        var organisation = try await organisation(id, for: actor)
        if let name { organisation.name = try Self.validName(name) }
        if let sharesTickets { organisation.sharesTickets = sharesTickets }
        try await directory.save(organisation)
        return organisation
    }

    // MARK: Services

    /// Every signed-in caller may read the services (the portal offers them).
    func services() async throws -> [Service] {
        try await directory.services()
    }

    func service(_ id: UUID) async throws -> Service {
        guard let service = try await directory.service(id) else {
            throw TierdeskError.notFound("No service has the id \(id.uuidString).")
        }
        return service
    }

    func createService(name: String, supportModel: SupportModel, by actor: Actor) async throws -> Service {
        try Self.requireConfigure(actor)
        let service = Service(id: UUID(), name: try Self.validName(name), supportModel: supportModel, createdAt: now)
        try await directory.save(service)
        return service
    }

    func updateService(_ id: UUID, name: String?, supportModel: SupportModel?, by actor: Actor) async throws -> Service
    {
        try Self.requireConfigure(actor)
        var service = try await service(id)
        if let name { service.name = try Self.validName(name) }
        if let supportModel { service.supportModel = supportModel }
        try await directory.save(service)
        return service
    }

    // MARK: Vendors

    func vendors(for actor: Actor) async throws -> [Vendor] {
        try Self.requireDirectory(actor)
        return try await directory.vendors()
    }

    func createVendor(name: String, by actor: Actor) async throws -> Vendor {
        try Self.requireConfigure(actor)
        let vendor = Vendor(id: UUID(), name: try Self.validName(name), createdAt: now)
        try await directory.save(vendor)
        return vendor
    }

    // MARK: People

    func people(role: Role?, for actor: Actor) async throws -> [Person] {
        try Self.requireDirectory(actor)
        return try await directory.people(role: role)
    }

    func person(_ id: UUID, for actor: Actor) async throws -> Person {
        try Self.requireDirectory(actor)
        guard let person = try await directory.person(id) else {
            throw TierdeskError.notFound("No person has the id \(id.uuidString).")
        }
        return person
    }

    func updatePerson(_ id: UUID, with changes: PersonChanges, by actor: Actor) async throws -> Person {
        try Self.requireConfigure(actor)
        var person = try await person(id, for: actor)
        if let email = changes.email { person.email = Person.normalisedEmail(email) }
        if let name = changes.name { person.name = name.trimmingWhitespace() }
        if let roles = changes.roles { person.roles = roles }
        if let tier = changes.tier { person.tier = tier }
        if let organisation = changes.organisationID { person.organisationID = organisation }
        if let vendor = changes.vendorID { person.vendorID = vendor }
        if let active = changes.active { person.active = active }
        return try await save(person, password: changes.password)
    }

    // MARK: Support groups

    func groups(for actor: Actor) async throws -> [SupportGroup] {
        try Self.requireDirectory(actor)
        return try await groups.all()
    }

    func saveGroup(named name: String, tier: Tier?, leadID: UUID?, by actor: Actor) async throws -> SupportGroup {
        try Self.requireConfigure(actor)
        let lead = try await leadID.asyncFlatMap { try await directory.person($0) }
        do {
            try SupportGroup.validate(name: name, lead: lead, leadRequested: leadID != nil)
        } catch {
            throw TierdeskError.invalid(error)
        }
        let group = SupportGroup(name: name, tier: tier, leadID: leadID)
        try await groups.save(group)
        return group
    }

    func deleteGroup(named name: String, by actor: Actor) async throws {
        try Self.requireConfigure(actor)
        guard try await groups.delete(name: name) else {
            throw TierdeskError.notFound("No group is named \(name.prefix(100)).")
        }
    }

    /// The people without a password (invited, or made by mail intake), for the people pages.
    func peopleWithoutPassword(for actor: Actor) async throws -> Set<UUID> {
        try Self.requireDirectory(actor)
        return try await directory.peopleWithoutPassword()
    }

    /// Whether `person` is stored with a password.
    func hasPassword(_ person: Person) async throws -> Bool {
        guard let (stored, hash) = try await directory.credentials(email: person.email), stored.id == person.id else {
            return false
        }
        return hash != nil
    }

    /// Active agents, for owner choices.
    func activeAgents() async throws -> [Person] {
        try await directory.people(role: .agent).filter(\.active)
    }

    /// Active agents, managers and admins: who may be on call or owe time.
    func activeStaff() async throws -> [Person] {
        try await directory.activeStaff()
    }

    /// Names for everything a list of tickets mentions, for pages and exports.
    func names(for tickets: [Ticket], extraPeople: [UUID] = []) async throws -> NameBook {
        var book = NameBook()
        book.organisations = try await directory.names(in: .organisations, ids: Set(tickets.map(\.organisationID)))
        book.services = try await directory.names(in: .services, ids: Set(tickets.compactMap(\.serviceID)))
        book.vendors = try await directory.names(in: .vendors, ids: Set(tickets.compactMap(\.vendorID)))
        book.people = try await directory.names(
            in: .people,
            ids: Set(tickets.flatMap { [$0.requesterID, $0.ownerID].compactMap { $0 } } + extraPeople)
        )
        return book
    }
}
