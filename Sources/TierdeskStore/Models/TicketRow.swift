import Foundation
import TierdeskCore

/// A row of the `tickets` table, read and written with SQLKit on the hot paths.
struct TicketRow: Codable, Sendable {
    var id: UUID
    var number: Int
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
    var groupName: String?
    var ownerId: UUID?
    var vendorId: UUID?
    var workaroundApplied: Bool
    var requestedBy: Date?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ ticket: Ticket) {
        id = ticket.id
        number = ticket.number
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
        groupName = ticket.group
        ownerId = ticket.ownerID
        vendorId = ticket.vendorID
        workaroundApplied = ticket.workaroundApplied
        requestedBy = ticket.requestedBy
        version = ticket.version
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
    }

    var domain: Ticket {
        Ticket(
            id: id, number: number, type: TicketType(rawValue: type) ?? .incident,
            channel: Channel(rawValue: channel) ?? .api, title: title, description: description,
            requesterID: requesterId, organisationID: organisationId, serviceID: serviceId,
            impact: Level(rawValue: impact) ?? .medium, urgency: Level(rawValue: urgency) ?? .medium,
            priority: Priority(rawValue: priority) ?? .p3, severity: Severity(rawValue: severity) ?? .sev3,
            status: TicketStatus(rawValue: status) ?? .new, tier: Tier(rawValue: tier) ?? .l1, group: groupName,
            ownerID: ownerId, vendorID: vendorId, workaroundApplied: workaroundApplied, requestedBy: requestedBy,
            version: version, createdAt: createdAt, updatedAt: updatedAt
        )
    }

    static let columns = [
        "id", "number", "type", "channel", "title", "description", "requester_id", "organisation_id", "service_id",
        "impact", "urgency", "priority", "severity", "status", "tier", "group_name", "owner_id", "vendor_id",
        "workaround_applied", "requested_by", "version", "created_at", "updated_at",
    ]
}

/// A row of the `ticket_events` table.
struct TicketEventRow: Codable, Sendable {
    var id: UUID
    var ticketId: UUID
    var kind: String
    var actorId: UUID?
    var at: Date
    var field: String?
    var beforeValue: String?
    var afterValue: String?
    var body: String?
    var `internal`: Bool

    init(_ event: TicketEvent) {
        id = event.id
        ticketId = event.ticketID
        kind = event.kind.rawValue
        actorId = event.actorID
        at = event.at
        field = event.field
        beforeValue = event.before
        afterValue = event.after
        body = event.body
        `internal` = event.kind.isInternal
    }

    static let columns = ["id", "ticket_id", "kind", "actor_id", "at", "field", "before_value", "after_value", "body", "internal"]

    var domain: TicketEvent {
        TicketEvent(id: id, ticketID: ticketId, kind: TicketEventKind(rawValue: kind) ?? .fieldChanged, actorID: actorId, at: at, field: field, before: beforeValue, after: afterValue, body: body)
    }
}
