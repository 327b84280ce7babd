import Foundation
import TierdeskCore

/// A ticket as the API shows it.
struct TicketDTO: Encodable {
    var reference: String
    var id: UUID
    var type: String
    var channel: String
    var title: String
    var description: String
    var requesterId: UUID
    var organisationId: UUID
    var serviceId: UUID?
    var impact: String
    var urgency: String
    var priority: String
    var severity: String
    var status: String
    var tier: String
    var group: String?
    var ownerId: UUID?
    var vendorId: UUID?
    var workaroundApplied: Bool
    var requestedBy: String?
    var version: Int
    var createdAt: String
    var updatedAt: String
    var nextDeadline: String?

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
        workaroundApplied = ticket.workaroundApplied
        requestedBy = ticket.requestedBy.map(Timestamp.format)
        version = ticket.version
        createdAt = Timestamp.format(ticket.createdAt)
        updatedAt = Timestamp.format(ticket.updatedAt)
        nextDeadline = ticket.nextDeadline.map(Timestamp.format)
    }

    /// Nullable fields are written as `null`, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reference, forKey: .reference)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(channel, forKey: .channel)
        try c.encode(title, forKey: .title)
        try c.encode(description, forKey: .description)
        try c.encode(requesterId, forKey: .requesterId)
        try c.encode(organisationId, forKey: .organisationId)
        try c.encode(serviceId, forKey: .serviceId)
        try c.encode(impact, forKey: .impact)
        try c.encode(urgency, forKey: .urgency)
        try c.encode(priority, forKey: .priority)
        try c.encode(severity, forKey: .severity)
        try c.encode(status, forKey: .status)
        try c.encode(tier, forKey: .tier)
        try c.encode(group, forKey: .group)
        try c.encode(ownerId, forKey: .ownerId)
        try c.encode(vendorId, forKey: .vendorId)
        try c.encode(workaroundApplied, forKey: .workaroundApplied)
        try c.encode(requestedBy, forKey: .requestedBy)
        try c.encode(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(nextDeadline, forKey: .nextDeadline)
    }

    enum CodingKeys: String, CodingKey {
        case reference, id, type, channel, title, description, requesterId, organisationId, serviceId, impact, urgency
        case priority, severity, status, tier, group, ownerId, vendorId, workaroundApplied, requestedBy, version, createdAt, updatedAt, nextDeadline
    }
}

/// A page of tickets with the cursor for the next one.
struct TicketPageDTO: Encodable {
    var items: [TicketDTO]
    var nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor }
}
