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
        roles = Self.stored(person.roles)
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
            roles: Self.roles(stored: roles),
            tier: tier.flatMap(Tier.init(rawValue:)),
            organisationID: organisationID,
            vendorID: vendorID,
            active: active,
            createdAt: createdAt
        )
    }

    /// Roles as the `roles` column holds them: a comma-separated list in a fixed order.
    static func stored(_ roles: Set<Role>) -> String {
        Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ",")
    }

    /// The roles of a `roles` column.
    static func roles(stored text: String) -> Set<Role> {
        Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }
}
