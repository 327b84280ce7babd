import FluentKit
import Foundation
import TierdeskCore

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    /// Roles as a comma-separated list, e.g. `agent,manager`.
    @Field(key: "roles") var roles: String
    @OptionalField(key: "tier") var tier: String?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "vendor_id") var vendorID: UUID?
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ person: Person, passwordHash: String?) {
        id = person.id
        self.passwordHash = passwordHash
        apply(person)
        createdAt = person.createdAt
    }

    func apply(_ person: Person) {
        email = person.email
        name = person.name
        roles = Role.allCases.filter(person.roles.contains).map(\.rawValue).joined(separator: ",")
        tier = person.tier?.rawValue
        organisationID = person.organisationID
        vendorID = person.vendorID
        active = person.active
    }

    var domain: Person {
        Person(
            id: id!,
            email: email,
            name: name,
            roles: Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }),
            tier: tier.flatMap(Tier.init(rawValue:)),
            organisationID: organisationID,
            vendorID: vendorID,
            active: active,
            createdAt: createdAt
        )
    }
}
