import FluentKit
import Foundation
import TierdeskCore

final class ServiceModel: Model, @unchecked Sendable {
    static let schema = "services"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "support_model") var supportModel: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ service: Service) {
        id = service.id
        name = service.name
        supportModel = service.supportModel.rawValue
        createdAt = service.createdAt
    }

    var domain: Service {
        Service(
            id: id!,
            name: name,
            supportModel: SupportModel(rawValue: supportModel) ?? .tiered,
            createdAt: createdAt
        )
    }
}
