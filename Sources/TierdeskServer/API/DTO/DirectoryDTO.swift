import Foundation
import TierdeskCore
import TierdeskStore

struct OrganisationDTO: Codable {
    var id: UUID
    var name: String
    var sharesTickets: Bool
    var createdAt: String

    init(_ organisation: Organisation) {
        id = organisation.id
        name = organisation.name
        sharesTickets = organisation.sharesTickets
        createdAt = Timestamp.format(organisation.createdAt)
    }
}

struct NewOrganisationDTO: Decodable {
    var name: String
    var sharesTickets: Bool?
}

struct OrganisationUpdateDTO: Decodable {
    var name: String?
    var sharesTickets: Bool?
}

struct ServiceDTO: Codable {
    var id: UUID
    var name: String
    var supportModel: String
    var createdAt: String

    init(_ service: Service) {
        id = service.id
        name = service.name
        supportModel = service.supportModel.rawValue
        createdAt = Timestamp.format(service.createdAt)
    }
}

struct ServiceInputDTO: Decodable {
    var name: String?
    var supportModel: SupportModel?

    enum CodingKeys: String, CodingKey { case name, supportModel }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        supportModel = try c.decodeIfPresent(SupportModel.self, forKey: .supportModel)
    }
}

struct VendorDTO: Encodable {
    var id: UUID
    var name: String
    var createdAt: String

    init(_ vendor: Vendor) {
        id = vendor.id
        name = vendor.name
        createdAt = Timestamp.format(vendor.createdAt)
    }
}

struct NewVendorDTO: Decodable {
    var name: String
}

struct PersonDTO: Codable {
    var id: UUID
    var email: String
    var name: String
    var roles: [String]
    @Nullable var tier: String?
    @Nullable var organisationId: UUID?
    @Nullable var vendorId: UUID?
    var active: Bool
    var createdAt: String

    init(_ person: Person) {
        id = person.id
        email = person.email
        name = person.name
        roles = Role.allCases.filter(person.roles.contains).map(\.rawValue)
        tier = person.tier?.rawValue
        organisationId = person.organisationID
        vendorId = person.vendorID
        active = person.active
        createdAt = Timestamp.format(person.createdAt)
    }

}

/// The body of `POST /api/v1/people` and `PATCH /api/v1/people/{personId}`; every field optional here,
/// the handler names the missing ones.
struct PersonInputDTO: Decodable {
    var email: String?
    var name: String?
    var roles: [Role]?
    var tier: Tier??
    var organisationId: UUID??
    var vendorId: UUID??
    var active: Bool?
    var password: String?

    enum CodingKeys: String, CodingKey { case email, name, roles, tier, organisationId, vendorId, active, password }

    /// The desk's command for these changes.
    var changes: DirectoryDesk.PersonChanges {
        DirectoryDesk.PersonChanges(
            email: email,
            name: name,
            roles: roles.map(Set.init),
            tier: tier,
            organisationID: organisationId,
            vendorID: vendorId,
            active: active,
            password: password
        )
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        if c.contains(.roles) {
            var list = try c.nestedUnkeyedContainer(forKey: .roles)
            var roles: [Role] = []
            while !list.isAtEnd {
                let raw = try list.decode(String.self)
                guard let role = Role(rawValue: raw) else {
                    throw DecodingError.dataCorruptedError(
                        in: list,
                        debugDescription:
                            "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")) (got \(raw.prefix(40)))"
                    )
                }
                roles.append(role)
            }
            self.roles = roles
        }
        if c.contains(.tier) {
            tier = try c.decodeNil(forKey: .tier) ? .some(nil) : .some(try c.decode(Tier.self, forKey: .tier))
        }
        organisationId = try c.decodeClearable(UUID.self, forKey: .organisationId)
        vendorId = try c.decodeClearable(UUID.self, forKey: .vendorId)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
        password = try c.decodeIfPresent(String.self, forKey: .password)
    }
}

struct PriorityMatrixDTO: Codable {
    struct Entry: Codable {
        var impact: Level
        var urgency: Level
        var priority: Priority

        enum CodingKeys: String, CodingKey { case impact, urgency, priority }

        init(_ entry: PriorityMatrix.Entry) {
            impact = entry.impact
            urgency = entry.urgency
            priority = entry.priority
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            impact = try c.decode(Level.self, forKey: .impact)
            urgency = try c.decode(Level.self, forKey: .urgency)
            priority = try c.decode(Priority.self, forKey: .priority)
        }
    }

    var entries: [Entry]
}

struct NewTokenDTO: Decodable {
    var name: String
    var personId: UUID?
}

struct IssuedTokenDTO: Codable {
    var id: UUID
    var name: String
    var personId: UUID
    var token: String
    var createdAt: String
}

struct TokenDTO: Encodable {
    var id: UUID
    var name: String
    var personId: UUID
    var createdAt: String
    @Nullable var lastUsedAt: String?
    @Nullable var revokedAt: String?

    init(_ info: APITokenInfo) {
        id = info.id
        name = info.name
        personId = info.personID
        createdAt = Timestamp.format(info.createdAt)
        lastUsedAt = info.lastUsedAt.map(Timestamp.format)
        revokedAt = info.revokedAt.map(Timestamp.format)
    }

}
