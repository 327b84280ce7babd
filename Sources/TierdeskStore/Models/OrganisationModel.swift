import FluentKit
import Foundation
import TierdeskCore

final class OrganisationModel: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "shares_tickets") var sharesTickets: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ organisation: Organisation) {
        id = organisation.id
        name = organisation.name
        sharesTickets = organisation.sharesTickets
        createdAt = organisation.createdAt
    }

    var domain: Organisation {
        Organisation(id: id!, name: name, sharesTickets: sharesTickets, createdAt: createdAt)
    }
}
