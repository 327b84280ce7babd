import Foundation
import TierdeskCore

/// A ticket as the API shows it.
struct TicketDTO: Codable {
    var reference: String
    var id: UUID
    var type: String
    var channel: String
    var title: String
    var description: String
    var requesterId: UUID
    var organisationId: UUID
    @Nullable var serviceId: UUID?
    var impact: String
    var urgency: String
    var priority: String
    var severity: String
    var status: String
    var tier: String
    @Nullable var group: String?
    @Nullable var ownerId: UUID?
    @Nullable var vendorId: UUID?
    @Nullable var vendorReference: String?
    @Nullable var businessImpact: BusinessImpact?
    @Nullable var knownErrorId: UUID?
    @Nullable var resolution: String?
    var attributes: [String: String]
    var tags: [String]
    var workaroundApplied: Bool
    @Nullable var requestedBy: String?
    var version: Int
    var createdAt: String
    var updatedAt: String
    @Nullable var nextDeadline: String?

    init(_ ticket: Ticket) {
        reference = ticket.reference
        id = ticket.id
        type = ticket.type.rawValue
        channel = ticket.channel.rawValue
        title = ticket.title
        description = ticket.description
        requesterId = ticket.requesterID
        organisationId = ticket.organisationID
        serviceId = ticket.serviceID
        impact = ticket.impact.rawValue
        urgency = ticket.urgency.rawValue
        priority = ticket.priority.rawValue
        severity = ticket.severity.rawValue
        status = ticket.status.rawValue
        tier = ticket.tier.rawValue
        group = ticket.group
        ownerId = ticket.ownerID
        vendorId = ticket.vendorID
        vendorReference = ticket.vendorReference
        businessImpact = ticket.businessImpact
        knownErrorId = ticket.knownErrorID
        resolution = ticket.resolution?.rawValue
        attributes = ticket.attributes
        tags = ticket.tags
        workaroundApplied = ticket.workaroundApplied
        requestedBy = ticket.requestedBy.map(Timestamp.format)
        version = ticket.version
        createdAt = Timestamp.format(ticket.createdAt)
        updatedAt = Timestamp.format(ticket.updatedAt)
        nextDeadline = ticket.nextDeadline.map(Timestamp.format)
    }

    /// The ticket as `audience` may read it: a vendor contact does not read the customer's description (it
    /// reads what staff share in the vendor thread).
    func seen(by audience: TicketAudience) -> TicketDTO {
        guard audience.isVendor else { return self }
        var dto = self
        dto.description = ""
        return dto
    }
}

/// A page of tickets with the cursor for the next one.
struct TicketPageDTO: Codable {
    var items: [TicketDTO]
    @Nullable var nextCursor: String?

}
