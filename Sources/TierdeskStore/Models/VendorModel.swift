import FluentKit
import Foundation
import TierdeskCore

final class VendorModel: Model, @unchecked Sendable {
    static let schema = "vendors"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ vendor: Vendor) {
        id = vendor.id
        name = vendor.name
        createdAt = vendor.createdAt
    }

    var domain: Vendor { Vendor(id: id!, name: name, createdAt: createdAt) }
}
