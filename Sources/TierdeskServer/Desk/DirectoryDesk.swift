import Foundation
import TierdeskCore
import TierdeskStore

/// Managing organisations, services, vendors, people and tokens; shared by the API and the command line.
struct DirectoryDesk: Sendable {
    let clock: any Clock
    let passwords: Passwords
    let directory: DirectoryRepository
    let credentials: CredentialRepository
    let identities: TokenCache<Person>
    let integrations: IntegrationRepository
    let groups: SupportGroupRepository

    var now: Date { clock.now() }

    static func requireConfigure(_ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(.configure, by: actor), notFound: "")
    }

    static func requireDirectory(_ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(.viewDirectory, by: actor), notFound: "")
    }

    static func validName(_ name: String, field: String = "name") throws -> String {
        var errors: [FieldError] = []
        let name = TextLimits.line(name, field: field, maxCharacters: TextLimits.name, errors: &errors)
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return name
    }

    /// Creates a person after checking the roles fit the other fields and the referenced records exist.
    func createPerson(
        email: String,
        name: String,
        roles: Set<Role>,
        tier: Tier?,
        organisationID: UUID?,
        vendorID: UUID?,
        password: String?
    ) async throws -> Person {
        let person = Person(
            id: UUID(),
            email: Person.normalisedEmail(email),
            name: name.trimmingWhitespace(),
            roles: roles,
            tier: tier,
            organisationID: organisationID,
            vendorID: vendorID,
            active: true,
            createdAt: now
        )
        return try await save(person, password: password)
    }

    /// Validates and stores a person; `password`, when given, replaces the stored one.
    func save(_ person: Person, password: String?) async throws -> Person {
        let person = try await checked(person)
        var hash: String?
        if let password {
            guard password.count >= Passwords.minimumLength, password.utf8.count <= 72 else {
                throw TierdeskError.invalid(field: "password", "must be \(Passwords.minimumLength) to 72 bytes long")
            }
            hash = try await passwords.hash(password)
        }
        try await directory.save(person, passwordHash: hash)
        identities.forget { $0.value.id == person.id }
        return person
    }

    /// `person` once its fields fit its roles and the organisation and vendor it names exist.
    func checked(_ person: Person) async throws -> Person {
        do {
            try Person.validate(
                email: person.email,
                name: person.name,
                roles: person.roles,
                tier: person.tier,
                organisationID: person.organisationID,
                vendorID: person.vendorID
            )
        } catch {
            throw TierdeskError.invalid(error)
        }
        if let id = person.organisationID, try await directory.organisation(id) == nil {
            throw TierdeskError.invalid(field: "organisationId", "no organisation has the id \(id.uuidString)")
        }
        if let id = person.vendorID, try await directory.vendor(id) == nil {
            throw TierdeskError.invalid(field: "vendorId", "no vendor has the id \(id.uuidString)")
        }
        return person
    }

    /// The caller's own API tokens.
    func tokens(for actor: Actor) async throws -> [APITokenInfo] {
        try await credentials.tokens(personID: actor.personID)
    }

    /// Issues a token for the caller, or, for an admin, for anyone.
    func issueToken(name: String, for owner: UUID?, by actor: Actor) async throws -> (APITokenInfo, String) {
        try TierdeskError.check(AccessPolicy.decide(.manageOwnTokens, by: actor), notFound: "")
        let owner = owner ?? actor.personID
        if owner != actor.personID {
            try Self.requireConfigure(actor)
            guard try await directory.person(owner) != nil else {
                throw TierdeskError.invalid(field: "personId", "no person has the id \(owner.uuidString)")
            }
        }
        return try await issueToken(name: name, for: owner)
    }

    /// Revokes a token of the caller's, or, for an admin, anyone's.
    func revokeToken(_ id: UUID, by actor: Actor) async throws {
        guard let token = try await credentials.token(id),
            token.personID == actor.personID || AccessPolicy.allows(.configure, by: actor)
        else { throw TierdeskError.notFound("No token has the id \(id.uuidString).") }
        try await credentials.revokeToken(id, at: now)
        identities.forget(tokenID: id)
    }

    /// Issues an API token for `person`; the secret is returned once and stored only as a hash.
    func issueToken(name: String, for person: UUID) async throws -> (APITokenInfo, String) {
        var errors: [FieldError] = []
        let name = TextLimits.line(name, field: "name", maxCharacters: TextLimits.label, errors: &errors)
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let secret = Secrets.token(prefix: "tdk_")
        let info = try await credentials.createToken(
            name: name,
            tokenHash: Secrets.hash(secret),
            personID: person,
            at: now
        )
        return (info, secret)
    }

    /// A requester account for someone who wrote in without one, in the organisation mail intake names.
    /// A concurrent message from the same address finds the account the first one made.
    func requesterFromMail(_ address: MailAddress, organisationID: UUID) async throws -> Person {
        let email = Person.normalisedEmail(address.address)
        var name = String(OutgoingMail.singleLine(address.name ?? "").prefix(TextLimits.name))
        if name.isEmpty { name = String(email.split(separator: "@").first ?? "requester") }
        do {
            return try await createPerson(
                email: email,
                name: name,
                roles: [.requester],
                tier: nil,
                organisationID: organisationID,
                vendorID: nil,
                password: nil
            )
        } catch {
            if let existing = try await directory.person(email: email) { return existing }
            throw error
        }
    }
}
