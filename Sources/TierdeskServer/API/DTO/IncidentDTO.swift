import Foundation
import TierdeskCore

/// A major incident as the API shows it to staff.
struct IncidentDTO: Codable {
    var reference: String
    var id: UUID
    var title: String
    var publicTitle: String
    var severity: Severity
    var state: MajorIncident.State
    var origin: MajorIncident.Origin
    var serviceIds: [UUID]
    var organisationIds: [UUID]
    @Nullable var leadId: UUID?
    @Nullable var commsLeadId: UUID?
    var declaredAt: String
    @Nullable var declaredBy: UUID?
    @Nullable var nextUpdateDue: String?
    var missedUpdates: Int
    @Nullable var resolvedAt: String?
    @Nullable var closedAt: String?
    var version: Int

    init(_ i: MajorIncident) {
        reference = i.reference
        id = i.id
        title = i.title
        publicTitle = i.publicTitle
        severity = i.severity
        state = i.state
        origin = i.origin
        serviceIds = i.serviceIDs
        organisationIds = i.organisationIDs
        leadId = i.leadID
        commsLeadId = i.commsLeadID
        declaredAt = Timestamp.format(i.declaredAt)
        declaredBy = i.declaredBy
        nextUpdateDue = i.nextUpdateDue.map(Timestamp.format)
        missedUpdates = i.missedUpdates
        resolvedAt = i.resolvedAt.map(Timestamp.format)
        closedAt = i.closedAt.map(Timestamp.format)
        version = i.version
    }
}

/// One sent update.
struct IncidentUpdateDTO: Codable {
    var id: UUID
    var at: String
    @Nullable var authorId: UUID?
    var state: MajorIncident.State
    var message: String
    var noChange: Bool
    @Nullable var nextUpdateDue: String?

    init(_ u: IncidentUpdate) {
        id = u.id
        at = Timestamp.format(u.at)
        authorId = u.authorID
        state = u.state
        message = u.message
        noChange = u.noChange
        nextUpdateDue = u.nextUpdateDue.map(Timestamp.format)
    }
}

/// One line of the timeline.
struct IncidentEntryDTO: Codable {
    var at: String
    var kind: IncidentEntry.Kind
    @Nullable var actorId: UUID?
    var text: String

    init(_ e: IncidentEntry) {
        at = Timestamp.format(e.at)
        kind = e.kind
        actorId = e.actorID
        text = e.text
    }
}

/// The post-incident review, as written and as read.
struct IncidentReviewDTO: Codable {
    struct ActionItem: Codable {
        var title: String
        var ownerId: UUID?
        var due: String?
        var ticket: String?
    }
    var summary: String
    var impact: String
    var rootCause: String
    var contributingFactors: String?
    var wentWell: String?
    var actionItems: [ActionItem]?
    var knownError: String?
    var customerSummary: String?

    init(_ r: PostIncidentReview) {
        summary = r.summary
        impact = r.impact
        rootCause = r.rootCause
        contributingFactors = r.contributingFactors
        wentWell = r.wentWell
        actionItems = r.actionItems.map {
            ActionItem(title: $0.title, ownerId: $0.ownerID, due: $0.due, ticket: $0.ticket)
        }
        knownError = r.knownError
        customerSummary = r.customerSummary
    }

    var review: PostIncidentReview {
        PostIncidentReview(
            summary: summary,
            impact: impact,
            rootCause: rootCause,
            contributingFactors: contributingFactors ?? "",
            wentWell: wentWell ?? "",
            actionItems: (actionItems ?? [])
                .map { .init(title: $0.title, ownerID: $0.ownerId, due: $0.due, ticket: $0.ticket) },
            knownError: knownError,
            customerSummary: customerSummary ?? ""
        )
    }
}

/// An incident with its tickets, updates, timeline and review.
struct IncidentDetailDTO: Codable {
    var incident: IncidentDTO
    var tickets: [String]
    var updates: [IncidentUpdateDTO]
    var timeline: [IncidentEntryDTO]
    @Nullable var review: IncidentReviewDTO?
    var reviewRequired: Bool
    var impact: Impact

    /// What the incident cost so far.
    struct Impact: Codable {
        struct Cost: Codable {
            var currency: String
            var perHour: Int
            var total: Int
        }
        var seconds: Double
        var organisations: Int
        var tickets: Int
        var costs: [Cost]
    }

    init(_ d: IncidentDesk.Detail) {
        incident = IncidentDTO(d.incident)
        tickets = d.tickets.map(\.reference)
        updates = d.updates.map(IncidentUpdateDTO.init)
        timeline = d.timeline.map(IncidentEntryDTO.init)
        review = d.review.map { IncidentReviewDTO($0.review) }
        reviewRequired = d.reviewRequired
        impact = Impact(
            seconds: d.impact.seconds,
            organisations: d.impact.organisations,
            tickets: d.impact.tickets,
            costs: d.impact.costs.map { .init(currency: $0.currency, perHour: $0.perHour, total: $0.total) }
        )
    }
}

/// A declaration.
struct IncidentDeclarationDTO: Decodable {
    var title: String
    var publicTitle: String?
    var severity: Severity
    var serviceIds: [UUID]?
    var organisationIds: [UUID]?
    var tickets: [String]?
    var leadId: UUID?
    var commsLeadId: UUID?

    var declaration: IncidentDesk.Declaration {
        IncidentDesk.Declaration(
            title: title,
            publicTitle: publicTitle,
            severity: severity,
            services: serviceIds ?? [],
            organisations: organisationIds ?? [],
            tickets: tickets ?? [],
            leadID: leadId,
            commsLeadID: commsLeadId
        )
    }
}

/// A change of a running incident; absent fields stay, `null` leads are cleared.
struct IncidentAmendmentDTO: Decodable {
    var version: Int
    var title: String?
    var publicTitle: String?
    var severity: Severity?
    var leadId: UUID??
    var commsLeadId: UUID??
    var serviceIds: [UUID]?
    var organisationIds: [UUID]?
    var linkTickets: [String]?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case version, title, publicTitle, severity, leadId, commsLeadId, serviceIds, organisationIds, linkTickets, note
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        publicTitle = try c.decodeIfPresent(String.self, forKey: .publicTitle)
        severity = try c.decodeIfPresent(Severity.self, forKey: .severity)
        leadId = c.contains(.leadId) ? .some(try c.decodeIfPresent(UUID.self, forKey: .leadId)) : nil
        commsLeadId = c.contains(.commsLeadId) ? .some(try c.decodeIfPresent(UUID.self, forKey: .commsLeadId)) : nil
        serviceIds = try c.decodeIfPresent([UUID].self, forKey: .serviceIds)
        organisationIds = try c.decodeIfPresent([UUID].self, forKey: .organisationIds)
        linkTickets = try c.decodeIfPresent([String].self, forKey: .linkTickets)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    var amendment: IncidentDesk.Amendment {
        IncidentDesk.Amendment(
            version: version,
            title: title,
            publicTitle: publicTitle,
            severity: severity,
            leadID: leadId,
            commsLeadID: commsLeadId,
            services: serviceIds,
            organisations: organisationIds,
            linkTickets: linkTickets ?? [],
            note: note
        )
    }
}

/// What an update's author fills in.
struct IncidentUpdateInputDTO: Decodable {
    var version: Int
    var state: MajorIncident.State
    var symptom: String?
    var impact: String?
    var workaround: String?
    var message: String?
    var noChange: Bool?

    var input: IncidentDesk.UpdateInput {
        IncidentDesk.UpdateInput(
            version: version,
            state: state,
            symptom: symptom ?? "",
            impact: impact ?? "",
            workaround: workaround ?? "",
            message: message ?? "",
            noChange: noChange ?? false
        )
    }
}

/// The version a review or a closing is written against.
struct IncidentVersionDTO: Decodable {
    var version: Int
}

/// A review with the version it is written against.
struct IncidentReviewInputDTO: Decodable {
    var version: Int
    var review: IncidentReviewDTO
}

/// The text an update would have.
struct IncidentPreviewDTO: Codable {
    var message: String
}

/// A subscriber of incident updates.
struct IncidentSubscriberDTO: Codable {
    var id: UUID
    var kind: IncidentSubscriber.Kind
    var target: String
    @Nullable var serviceId: UUID?
    @Nullable var organisationId: UUID?
    var allowPrivateTargets: Bool
    var createdAt: String

    init(_ s: IncidentSubscriber) {
        id = s.id
        kind = s.kind
        target = s.target
        serviceId = s.serviceID
        organisationId = s.organisationID
        allowPrivateTargets = s.allowPrivateTargets
        createdAt = Timestamp.format(s.createdAt)
    }
}

struct IncidentSubscriberInputDTO: Decodable {
    var kind: IncidentSubscriber.Kind
    var target: String
    var serviceId: UUID?
    var organisationId: UUID?
    var allowPrivateTargets: Bool?
}

/// The public status page as JSON.
struct StatusPageDTO: Codable {
    struct Update: Codable {
        var at: String
        var state: MajorIncident.State
        var message: String
    }
    struct Incident: Codable {
        var reference: String
        var title: String
        var impact: String
        var state: MajorIncident.State
        var services: [String]
        var startedAt: String
        @Nullable var resolvedAt: String?
        var updates: [Update]
    }
    struct Day: Codable {
        var date: String
        var impact: String
    }
    struct Service: Codable {
        var name: String
        var impact: String
        var days: [Day]
    }
    var generatedAt: String
    var current: [Incident]
    var recent: [Incident]
    var services: [Service]

    init(_ page: StatusPage) {
        func incident(_ i: StatusPage.Incident) -> Incident {
            Incident(
                reference: i.reference,
                title: i.title,
                impact: i.impact.rawValue,
                state: i.state,
                services: i.services,
                startedAt: Timestamp.format(i.startedAt),
                resolvedAt: i.resolvedAt.map(Timestamp.format),
                updates: i.updates.map { Update(at: Timestamp.format($0.at), state: $0.state, message: $0.message) }
            )
        }
        generatedAt = Timestamp.format(page.generatedAt)
        current = page.current.map(incident)
        recent = page.recent.map(incident)
        services = page.services.map { service in
            Service(
                name: service.name,
                impact: service.impact.rawValue,
                days: service.days.map { Day(date: $0.date.description, impact: $0.impact.rawValue) }
            )
        }
    }
}
