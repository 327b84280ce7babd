import Foundation
import TierdeskCore

struct NotificationDTO: Encodable {
    var id: UUID
    var kind: String
    var ticket: String
    var message: String
    var createdAt: String
    @Nullable var readAt: String?

    init(_ notification: TierdeskCore.Notification) {
        id = notification.id
        kind = notification.kind.rawValue
        ticket = TicketReference.format(notification.ticketNumber)
        message = notification.message
        createdAt = Timestamp.format(notification.createdAt)
        readAt = notification.readAt.map(Timestamp.format)
    }
}

struct SupportGroupDTO: Encodable {
    var name: String
    @Nullable var tier: String?
    @Nullable var leadId: UUID?

    init(_ group: SupportGroup) {
        name = group.name
        tier = group.tier?.rawValue
        leadId = group.leadID
    }
}

struct SupportGroupInputDTO: Decodable {
    var tier: Tier?
    var leadId: UUID?
}
