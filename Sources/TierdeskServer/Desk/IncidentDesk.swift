import Foundation
import TierdeskCore
import TierdeskStore

/// Major incidents: declaring them, linking tickets, naming their leads, keeping their timeline, writing
/// their review and closing them. Staff see them (``Action/viewIncidents``); agents and managers run them
/// (``Action/runIncidents``); tickets are looked up through ``TicketDesk`` so linking checks the caller may
/// see each ticket.
struct IncidentDesk: Sendable {
    let clock: any Clock
    let incidents: IncidentRepository
    let settings: SettingsRepository
    let directory: DirectoryRepository
    let pages: PageRepository
    let tickets: TicketRepository
    let ticketDesk: TicketDesk
    let timeOff: TimeOffDesk
    let notifications: NotificationRepository
    let knownErrors: KnownErrorRepository
    /// Who incident mail comes from; nil without a mail relay (then no mail is queued).
    let mailIdentity: DeskMailIdentity?
    /// The web address links point to (the status page, the console).
    let baseURL: String

    /// What someone declares.
    struct Declaration: Sendable {
        var title: String
        var publicTitle: String?
        var severity: Severity
        var services: [UUID] = []
        var organisations: [UUID] = []
        var tickets: [String] = []
        var leadID: UUID?
        var commsLeadID: UUID?
    }

    /// An incident with everything its page shows.
    struct Detail: Sendable {
        var incident: MajorIncident
        var tickets: [Ticket]
        var updates: [IncidentUpdate]
        var timeline: [IncidentEntry]
        var review: IncidentRepository.StoredReview?
        var policy: IncidentPolicy
        var names: NameBook
        /// Duration, organisations, tickets and cost, for the review.
        var impact: IncidentImpact
        /// Whether the review must be written before it can be closed.
        var reviewRequired: Bool { policy.reviewRequired(incident.severity) }
    }

    static func require(_ action: Action, _ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(action, by: actor), notFound: "")
    }

    func policy() async throws -> IncidentPolicy { try await settings.incidentPolicy() }

    func list(states: Set<MajorIncident.State>?, for actor: Actor) async throws -> [MajorIncident] {
        try Self.require(.viewIncidents, actor)
        return try await incidents.list(states: states)
    }

    /// The incident a reference (`INC-3`) names.
    func found(_ reference: String) async throws -> MajorIncident {
        guard let number = MajorIncident.number(in: reference), let incident = try await incidents.find(number: number)
        else { throw TierdeskError.notFound("No major incident is called \(reference.prefix(30)).") }
        return incident
    }

    func detail(_ reference: String, for actor: Actor) async throws -> Detail {
        try Self.require(.viewIncidents, actor)
        return try await detail(of: try await found(reference), for: actor)
    }

    /// An incident with the linked tickets `actor` may see (and their history as far as they may see it).
    func detail(of incident: MajorIncident, for actor: Actor) async throws -> Detail {
        let ticketIDs = try await incidents.tickets(of: incident.id)
        var linked: [Ticket] = []
        var timeline = try await incidents.entries(of: incident.id)
        for id in ticketIDs {
            guard let found = try await tickets.find(id: id),
                let (ticket, scope) = try await tickets.findScoped(number: found.number),
                AccessPolicy.allows(.viewTicket, by: actor, on: scope)
            else { continue }
            linked.append(ticket)
            let seesNotes = AccessPolicy.allows(.viewInternalNotes, by: actor, on: scope)
            for event in try await tickets.events(ticketID: id, includeInternal: seesNotes) {
                switch event.kind {
                case .created:
                    timeline.append(
                        IncidentEntry(
                            incidentID: incident.id,
                            at: event.at,
                            kind: .ticketOpened,
                            actorID: event.actorID,
                            text: "\(ticket.reference) opened through \(ticket.channel.rawValue)"
                                + (ticket.channel == .monitoring ? " (an alert)." : ".")
                        )
                    )
                case .escalated, .deescalated:
                    guard event.field == "tier" else { continue }
                    timeline.append(
                        IncidentEntry(
                            incidentID: incident.id,
                            at: event.at,
                            kind: .escalated,
                            actorID: event.actorID,
                            text: "\(ticket.reference) moved from \(event.before ?? "?") to \(event.after ?? "?")."
                        )
                    )
                default: continue
                }
            }
            for page in try await pages.list(ticketID: id) {
                if let at = page.acknowledgedAt {
                    timeline.append(
                        IncidentEntry(
                            incidentID: incident.id,
                            at: at,
                            kind: .acknowledged,
                            actorID: page.acknowledgedBy,
                            text: "The page for \(ticket.reference) was acknowledged."
                        )
                    )
                }
            }
        }
        timeline.sort { ($0.at, $0.kind.rawValue) < ($1.at, $1.kind.rawValue) }
        let people = Set(
            timeline.compactMap(\.actorID)
                + [incident.leadID, incident.commsLeadID, incident.declaredBy].compactMap(\.self)
        )
        return Detail(
            incident: incident,
            tickets: linked,
            updates: try await incidents.updates(of: [incident.id])[incident.id] ?? [],
            timeline: timeline,
            review: try await incidents.review(of: incident.id),
            policy: try await policy(),
            names: try await names(people: people),
            impact: IncidentImpact(incident: incident, tickets: linked, at: clock.now())
        )
    }

    /// Declares an incident by hand: the declarer leads it unless someone else is named.
    func declare(_ declaration: Declaration, by actor: Actor) async throws -> MajorIncident {
        try Self.require(.runIncidents, actor)
        var errors: [FieldError] = []
        let title = TextLimits.line(declaration.title, field: "title", maxCharacters: TextLimits.title, errors: &errors)
        let publicTitle =
            declaration.publicTitle.map {
                TextLimits.line($0, field: "publicTitle", maxCharacters: TextLimits.title, errors: &errors)
            } ?? title
        if declaration.severity == .sev3 {
            errors.append(
                FieldError(
                    field: "severity",
                    message: "must be Sev1 or Sev2: a major incident halts or degrades production"
                )
            )
        }
        try await checkDirectory(declaration.services, declaration.organisations, errors: &errors)
        let lead = declaration.leadID ?? actor.personID
        try await checkStaff(lead, field: "leadId", errors: &errors)
        if let comms = declaration.commsLeadID { try await checkStaff(comms, field: "commsLeadId", errors: &errors) }
        var linked: [Ticket] = []
        for reference in declaration.tickets.prefix(100) {
            linked.append(try await ticketDesk.ticket(reference, for: actor).0)
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let now = clock.now()
        let policy = try await policy()
        let services = Self.unique(declaration.services + linked.compactMap(\.serviceID))
        let organisations = Self.unique(declaration.organisations + linked.map(\.organisationID))
        let incident = MajorIncident(
            number: 0,
            title: title,
            publicTitle: publicTitle,
            severity: declaration.severity,
            origin: .manual,
            serviceIDs: services,
            organisationIDs: organisations,
            leadID: lead,
            commsLeadID: declaration.commsLeadID,
            declaredAt: now,
            declaredBy: actor.personID,
            nextUpdateDue: now.addingTimeInterval(policy.updateInterval(declaration.severity))
        )
        var entries = [
            IncidentEntry(incidentID: incident.id, at: now, kind: .declared, actorID: actor.personID, text: "Declared.")
        ]
        entries += linked.map {
            IncidentEntry(
                incidentID: incident.id,
                at: now,
                kind: .ticketLinked,
                actorID: actor.personID,
                text: "\($0.reference) linked."
            )
        }
        return try await incidents.declare(incident, tickets: linked.map(\.id), entries: entries)
    }

    /// What may change on a running incident besides its state and updates.
    struct Amendment: Sendable {
        var version: Int
        var title: String?
        var publicTitle: String?
        var severity: Severity?
        var leadID: UUID??
        var commsLeadID: UUID??
        var services: [UUID]?
        var organisations: [UUID]?
        var linkTickets: [String] = []
        var note: String?
    }

    /// Changes titles, severity, leads, affected services and organisations, links tickets or adds a note.
    func amend(_ reference: String, _ amendment: Amendment, by actor: Actor) async throws -> MajorIncident {
        try Self.require(.runIncidents, actor)
        let incident = try await found(reference)
        var next = incident
        var errors: [FieldError] = []
        let now = clock.now()
        var entries: [IncidentEntry] = []
        func entry(_ kind: IncidentEntry.Kind, _ text: String) {
            entries.append(
                IncidentEntry(incidentID: incident.id, at: now, kind: kind, actorID: actor.personID, text: text)
            )
        }
        if let title = amendment.title {
            next.title = TextLimits.line(title, field: "title", maxCharacters: TextLimits.title, errors: &errors)
        }
        if let title = amendment.publicTitle {
            next.publicTitle = TextLimits.line(
                title,
                field: "publicTitle",
                maxCharacters: TextLimits.title,
                errors: &errors
            )
        }
        if let severity = amendment.severity, severity != incident.severity {
            if severity == .sev3 {
                errors.append(FieldError(field: "severity", message: "must be Sev1 or Sev2"))
            } else {
                next.severity = severity
                entry(.note, "Severity changed from \(incident.severity.rawValue) to \(severity.rawValue).")
            }
        }
        if let lead = amendment.leadID {
            if let lead { try await checkStaff(lead, field: "leadId", errors: &errors) }
            next.leadID = lead
        }
        if let comms = amendment.commsLeadID {
            if let comms { try await checkStaff(comms, field: "commsLeadId", errors: &errors) }
            next.commsLeadID = comms
        }
        try await checkDirectory(amendment.services ?? [], amendment.organisations ?? [], errors: &errors)
        if let services = amendment.services { next.serviceIDs = Self.unique(services) }
        if let organisations = amendment.organisations { next.organisationIDs = Self.unique(organisations) }
        var links: [UUID] = []
        let already = Set(try await incidents.tickets(of: incident.id))
        for reference in amendment.linkTickets.prefix(100) {
            let ticket = try await ticketDesk.ticket(reference, for: actor).0
            guard !already.contains(ticket.id), !links.contains(ticket.id) else { continue }
            links.append(ticket.id)
            if let service = ticket.serviceID, !next.serviceIDs.contains(service) { next.serviceIDs.append(service) }
            if !next.organisationIDs.contains(ticket.organisationID) {
                next.organisationIDs.append(ticket.organisationID)
            }
            entry(.ticketLinked, "\(ticket.reference) linked.")
        }
        if let note = amendment.note {
            entry(.note, TextLimits.line(note, field: "note", maxCharacters: IncidentEntry.maxNote, errors: &errors))
        }
        if next.leadID != incident.leadID || next.commsLeadID != incident.commsLeadID {
            let names = try await names(people: Set([next.leadID, next.commsLeadID].compactMap(\.self)))
            entry(
                .note,
                "Lead: \(next.leadID.map { names.person($0) } ?? "nobody"); communications lead: \(next.commsLeadID.map { names.person($0) } ?? "nobody")."
            )
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let change = IncidentRepository.Change(entries: entries, links: links)
        return try await saved(next, expecting: amendment.version, change, by: actor)
    }

    /// Writes the review (again, until the incident is closed).
    func review(_ reference: String, _ review: PostIncidentReview, version: Int, by actor: Actor) async throws
        -> MajorIncident
    {
        try Self.require(.runIncidents, actor)
        let incident = try await found(reference)
        guard incident.state != .closed else {
            throw TierdeskError.conflict("\(incident.reference) is closed; its review can no longer change.")
        }
        let checked: PostIncidentReview
        do { checked = try review.checked() } catch { throw TierdeskError.invalid(error) }
        var errors: [FieldError] = []
        for (index, item) in checked.actionItems.enumerated() {
            if let ticket = item.ticket { _ = try await ticketDesk.ticket(ticket, for: actor) }
            if let owner = item.ownerID {
                try await checkStaff(owner, field: "actionItems[\(index)].ownerId", errors: &errors)
            }
        }
        if let article = checked.knownError {
            let number = KnownError.number(in: article)
            if try await number.asyncFlatMap({ try await knownErrors.find(number: $0) }) == nil {
                errors.append(
                    FieldError(field: "knownError", message: "names no Known Error Database article (such as KE-3)")
                )
            }
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        guard let author = try await directory.person(actor.personID) else {
            throw TierdeskError.forbidden("Only a person in the directory writes reviews.")
        }
        // Every action item is tracked as a ticket: one without a ticket gets a new problem ticket, owned by
        // the item's owner and linked to the incident.
        var reviewed = checked
        var entries: [IncidentEntry] = []
        var links: [UUID] = []
        let now = clock.now()
        for (index, item) in checked.actionItems.enumerated() where item.ticket == nil {
            var draft = TicketDraft(
                title: String("\(incident.reference): \(item.title)".prefix(TextLimits.title)),
                description: "Action item of the post-incident review of \(incident.reference)"
                    + (item.due.map { ", due \($0)" } ?? "") + ".",
                type: .problem,
                serviceID: incident.serviceIDs.first
            )
            draft.ownerID = item.ownerID
            let ticket = try await ticketDesk.open(draft, by: author)
            reviewed.actionItems[index].ticket = ticket.reference
            links.append(ticket.id)
            entries.append(
                IncidentEntry(
                    incidentID: incident.id,
                    at: now,
                    kind: .ticketLinked,
                    actorID: actor.personID,
                    text: "\(ticket.reference) opened for the action item \"\(item.title)\"."
                )
            )
        }
        entries.append(
            IncidentEntry(
                incidentID: incident.id,
                at: now,
                kind: .reviewWritten,
                actorID: actor.personID,
                text: "Review written."
            )
        )
        return try await saved(
            incident,
            expecting: version,
            IncidentRepository.Change(entries: entries, links: links, review: reviewed),
            by: actor
        )
    }

    /// Closes a resolved incident; a review is required first where the policy says so.
    func close(_ reference: String, version: Int, by actor: Actor) async throws -> MajorIncident {
        try Self.require(.runIncidents, actor)
        let incident = try await found(reference)
        guard incident.state == .resolved else {
            throw TierdeskError.conflict(
                "\(incident.reference) is \(incident.state.rawValue); send a resolved update before closing it."
            )
        }
        if try await policy().reviewRequired(incident.severity), try await incidents.review(of: incident.id) == nil {
            throw TierdeskError.conflict(
                "\(incident.reference) is \(incident.severity.rawValue): write its post-incident review before closing it."
            )
        }
        let now = clock.now()
        var next = incident
        next.state = .closed
        next.closedAt = now
        let entry = IncidentEntry(
            incidentID: incident.id,
            at: now,
            kind: .stateChanged,
            actorID: actor.personID,
            text: "Closed."
        )
        return try await saved(next, expecting: version, IncidentRepository.Change(entries: [entry]), by: actor)
    }

    /// Stores a change, or says someone changed the incident first.
    func saved(_ incident: MajorIncident, expecting version: Int, _ change: IncidentRepository.Change, by actor: Actor?)
        async throws -> MajorIncident
    {
        guard let saved = try await incidents.save(incident, expecting: version, with: change, by: actor?.personID)
        else {
            throw TierdeskError.conflict(
                "\(incident.reference) was changed by someone else (it is no longer version \(version)); reload it and try again."
            )
        }
        return saved
    }

    /// Open incidents that cover one of `ticket`'s services and do not cover it yet: offered for linking.
    func offers(for ticket: Ticket, actor: Actor) async throws -> [MajorIncident] {
        guard AccessPolicy.allows(.runIncidents, by: actor), let service = ticket.serviceID else { return [] }
        let covering = Set(try await incidents.incidents(covering: ticket.id).map(\.id))
        return try await incidents.list(states: Set(MajorIncident.State.allCases.filter(\.isActive)))
            .filter { $0.serviceIDs.contains(service) && !covering.contains($0.id) }
    }

    /// The incidents that cover a ticket, for its page.
    func covering(_ ticket: Ticket, actor: Actor) async throws -> [MajorIncident] {
        guard AccessPolicy.allows(.viewIncidents, by: actor) else { return [] }
        return try await incidents.incidents(covering: ticket.id)
    }

    private func checkStaff(_ person: UUID, field: String, errors: inout [FieldError]) async throws {
        guard let found = try await directory.person(person), found.active, found.actor.isStaff else {
            errors.append(FieldError(field: field, message: "must name an active member of staff"))
            return
        }
    }

    private func checkDirectory(_ services: [UUID], _ organisations: [UUID], errors: inout [FieldError]) async throws {
        if services.count > 50 || organisations.count > 200 {
            errors.append(FieldError(field: "services", message: "at most 50 services and 200 organisations"))
            return
        }
        for id in services where try await directory.service(id) == nil {
            errors.append(FieldError(field: "services", message: "no service has the id \(id.uuidString)"))
        }
        for id in organisations where try await directory.organisation(id) == nil {
            errors.append(FieldError(field: "organisations", message: "no organisation has the id \(id.uuidString)"))
        }
    }

    static func unique(_ ids: [UUID]) -> [UUID] {
        var seen: Set<UUID> = []
        return ids.filter { seen.insert($0).inserted }
    }

    func names(people: Set<UUID>) async throws -> NameBook {
        try await NameBook.load(directory, people: people)
    }
}
