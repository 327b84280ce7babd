import Foundation
import SQLKit
import TierdeskCore

/// A row of the `people` table read with SQLKit, for lists read on every report and page (Fluent's models
/// decode by reflection, which costs more than the query).
struct PersonRow: Decodable, Sendable {
    var id: UUID
    var email: String
    var name: String
    var roles: String
    var tier: String?
    var organisationId: UUID?
    var vendorId: UUID?
    var active: Bool
    var createdAt: Date

    static let columns = [
        "id", "email", "name", "roles", "tier", "organisation_id", "vendor_id", "active", "created_at",
    ]

    var domain: Person {
        Person(
            id: id,
            email: email,
            name: name,
            roles: PersonModel.roles(stored: roles),
            tier: tier.flatMap(Tier.init(rawValue:)),
            organisationID: organisationId,
            vendorID: vendorId,
            active: active,
            createdAt: createdAt
        )
    }
}
