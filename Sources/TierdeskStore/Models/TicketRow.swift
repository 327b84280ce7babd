import Foundation
import SQLKit
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
    var vendorReference: String?
    var businessImpactAmount: Int?
    var businessImpactCurrency: String?
    var knownErrorId: UUID?
    var resolution: String?
    /// Attributes as a JSON object of strings.
    var attributes: String
    /// Tags joined by commas.
    var tags: String
    var workaroundApplied: Bool
    var requestedBy: Date?
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var nextDeadline: Date?

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
        vendorReference = ticket.vendorReference
        businessImpactAmount = ticket.businessImpact?.amountPerHour
        businessImpactCurrency = ticket.businessImpact?.currency
        knownErrorId = ticket.knownErrorID
        resolution = ticket.resolution?.rawValue
        attributes = Self.json(ticket.attributes)
        tags = ticket.tags.joined(separator: ",")
        workaroundApplied = ticket.workaroundApplied
        requestedBy = ticket.requestedBy
        version = ticket.version
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
        nextDeadline = ticket.nextDeadline
    }

    var domain: Ticket {
        var ticket = Ticket(
            id: id,
            number: number,
            type: TicketType(rawValue: type) ?? .incident,
            channel: Channel(rawValue: channel) ?? .api,
            title: title,
            description: description,
            requesterID: requesterId,
            organisationID: organisationId,
            serviceID: serviceId,
            impact: Level(rawValue: impact) ?? .medium,
            urgency: Level(rawValue: urgency) ?? .medium,
            priority: Priority(rawValue: priority) ?? .p3,
            severity: Severity(rawValue: severity) ?? .sev3,
            status: TicketStatus(rawValue: status) ?? .new,
            tier: Tier(rawValue: tier) ?? .l1,
            group: groupName,
            ownerID: ownerId,
            vendorID: vendorId,
            workaroundApplied: workaroundApplied,
            requestedBy: requestedBy,
            version: version,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
        ticket.nextDeadline = nextDeadline
        ticket.vendorReference = vendorReference
        ticket.knownErrorID = knownErrorId
        ticket.resolution = resolution.flatMap(Resolution.init(rawValue:))
        ticket.attributes =
            attributes == "{}"
            ? [:] : (try? JSONDecoder().decode([String: String].self, from: Data(attributes.utf8))) ?? [:]
        ticket.tags = tags.isEmpty ? [] : tags.split(separator: ",").map(String.init)
        if let businessImpactAmount, let businessImpactCurrency {
            ticket.businessImpact = BusinessImpact(
                amountPerHour: businessImpactAmount,
                currency: businessImpactCurrency
            )
        }
        return ticket
    }

    /// Column names spelled out, so rows are read and written without converting key names each time.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, number, type, channel, title, description
        case requesterId = "requester_id", organisationId = "organisation_id", serviceId = "service_id"
        case impact, urgency, priority, severity, status, tier
        case groupName = "group_name", ownerId = "owner_id", vendorId = "vendor_id", vendorReference =
            "vendor_reference"
        case businessImpactAmount = "business_impact_amount", businessImpactCurrency = "business_impact_currency"
        case knownErrorId = "known_error_id", resolution, attributes, tags
        case workaroundApplied = "workaround_applied", requestedBy = "requested_by", version
        case createdAt = "created_at", updatedAt = "updated_at", nextDeadline = "next_deadline"
    }

    static let columns = CodingKeys.allCases.map(\.rawValue)

    /// The row's values in ``columns`` order, bound directly: new tickets are inserted without the encoder.
    var values: [any SQLExpression] {
        [
            SQLBind(id), SQLBind(number), SQLBind(type), SQLBind(channel), SQLBind(title), SQLBind(description),
            SQLBind(requesterId), SQLBind(organisationId), SQLBind(serviceId), SQLBind(impact), SQLBind(urgency),
            SQLBind(priority), SQLBind(severity), SQLBind(status), SQLBind(tier), SQLBind(groupName),
            SQLBind(ownerId), SQLBind(vendorId), SQLBind(vendorReference), SQLBind(businessImpactAmount),
            SQLBind(businessImpactCurrency), SQLBind(knownErrorId), SQLBind(resolution), SQLBind(attributes),
            SQLBind(tags), SQLBind(workaroundApplied), SQLBind(requestedBy), SQLBind(version), SQLBind(createdAt),
            SQLBind(updatedAt), SQLBind(nextDeadline),
        ]
    }

    /// Attributes as stored; most tickets have none, which costs no encoder.
    static func json(_ attributes: [String: String]) -> String {
        guard !attributes.isEmpty else { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(attributes), as: UTF8.self)) ?? "{}"
    }
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
    var byStaff: Bool

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
        byStaff = event.byStaff
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, ticketId = "ticket_id", kind, actorId = "actor_id", at, field
        case beforeValue = "before_value", afterValue = "after_value", body, `internal`, byStaff = "by_staff"
    }

    static let columns = CodingKeys.allCases.map(\.rawValue)

    /// The row's values in ``columns`` order, bound directly (no encoder: events are the most written rows).
    var values: [any SQLExpression] {
        [
            SQLBind(id), SQLBind(ticketId), SQLBind(kind), SQLBind(actorId), SQLBind(at), SQLBind(field),
            SQLBind(beforeValue), SQLBind(afterValue), SQLBind(body), SQLBind(`internal`), SQLBind(byStaff),
        ]
    }

    var domain: TicketEvent {
        TicketEvent(
            id: id,
            ticketID: ticketId,
            kind: TicketEventKind(rawValue: kind) ?? .fieldChanged,
            actorID: actorId,
            at: at,
            field: field,
            before: beforeValue,
            after: afterValue,
            body: body,
            byStaff: byStaff
        )
    }
}
