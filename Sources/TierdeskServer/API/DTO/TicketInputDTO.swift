import Foundation
import TierdeskCore

/// The body of `POST /api/v1/tickets`: only title and description are required.
struct NewTicketDTO: Decodable {
    var draft: TicketDraft

    enum CodingKeys: String, CodingKey {
        case title, description, type, channel, impact, urgency, severity, requesterId, organisationId, serviceId, tier,
            group, ownerId, requestedBy, attributes
    }

    /// An attribute value: text, a number or a truth value, kept as text.
    struct AttributeValue: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let number = try? c.decode(Int.self) {
                text = String(number)
            } else if let number = try? c.decode(Double.self) {
                text = String(number)
            } else if let flag = try? c.decode(Bool.self) {
                text = String(flag)
            } else {
                text = try c.decode(String.self)
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        draft = TicketDraft(
            title: try c.decode(String.self, forKey: .title),
            description: try c.decode(String.self, forKey: .description),
            type: try c.decodeIfPresent(TicketType.self, forKey: .type),
            channel: try c.decodeIfPresent(Channel.self, forKey: .channel),
            impact: try c.decodeIfPresent(Level.self, forKey: .impact),
            urgency: try c.decodeIfPresent(Level.self, forKey: .urgency),
            severity: try c.decodeIfPresent(Severity.self, forKey: .severity),
            requesterID: try c.decodeIfPresent(UUID.self, forKey: .requesterId),
            organisationID: try c.decodeIfPresent(UUID.self, forKey: .organisationId),
            serviceID: try c.decodeIfPresent(UUID.self, forKey: .serviceId),
            tier: try c.decodeIfPresent(Tier.self, forKey: .tier),
            group: try c.decodeIfPresent(String.self, forKey: .group),
            ownerID: try c.decodeIfPresent(UUID.self, forKey: .ownerId),
            requestedBy: try c.decodeIfPresent(Date.self, forKey: .requestedBy)
        )
        draft.attributes = (try c.decodeIfPresent([String: AttributeValue].self, forKey: .attributes) ?? [:])
            .mapValues(\.text)
    }
}

/// The body of `PATCH /api/v1/tickets/{reference}`.
struct TicketUpdateDTO: Decodable {
    var version: Int
    var changes: TicketChanges

    enum CodingKeys: String, CodingKey {
        case version, title, description, type, impact, urgency, severity, serviceId, tier, group, ownerId, vendorId,
            workaroundApplied, requestedBy
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        // Fields that cannot be cleared refuse null, which would otherwise silently mean "unchanged".
        changes = TicketChanges(
            title: try c.decodeUnlessNull(String.self, forKey: .title),
            description: try c.decodeUnlessNull(String.self, forKey: .description),
            type: try c.decodeUnlessNull(TicketType.self, forKey: .type),
            impact: try c.decodeUnlessNull(Level.self, forKey: .impact),
            urgency: try c.decodeUnlessNull(Level.self, forKey: .urgency),
            severity: try c.decodeUnlessNull(Severity.self, forKey: .severity),
            serviceID: try c.decodeClearable(UUID.self, forKey: .serviceId),
            tier: try c.decodeUnlessNull(Tier.self, forKey: .tier),
            group: try c.decodeClearable(String.self, forKey: .group),
            ownerID: try c.decodeClearable(UUID.self, forKey: .ownerId),
            vendorID: try c.decodeClearable(UUID.self, forKey: .vendorId),
            workaroundApplied: try c.decodeUnlessNull(Bool.self, forKey: .workaroundApplied),
            requestedBy: try c.decodeClearable(Date.self, forKey: .requestedBy)
        )
    }
}

/// The body of `POST /api/v1/tickets/{reference}/status`.
struct StatusChangeDTO: Decodable {
    var status: TicketStatus
    var version: Int
    var comment: String?
    var resolution: Resolution?

    enum CodingKeys: String, CodingKey { case status, version, comment, resolution }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(TicketStatus.self, forKey: .status)
        version = try c.decode(Int.self, forKey: .version)
        comment = try c.decodeUnlessNull(String.self, forKey: .comment)
        resolution = try c.decodeUnlessNull(Resolution.self, forKey: .resolution)
    }
}

/// The body of a reply or a note.
struct MessageBodyDTO: Decodable {
    var body: String
}

/// The body of a data correction.
struct DataCorrectionDTO: Decodable {
    var target: String
    var change: String
    var reason: String
}

/// The body of `POST /api/v1/tickets/{reference}/merge`.
struct MergeDTO: Decodable {
    var into: String
    var version: Int
}

/// The answer of a merge: the duplicate, now closed, and the ticket that carries on.
struct MergedDTO: Encodable {
    var duplicate: TicketDTO
    var survivor: TicketDTO
}
