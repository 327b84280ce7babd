import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Major incidents in the console (`/console/incidents`): declare one, send updates after a preview, name
/// the leads, link tickets, write the review and close it; the printable review; and its customer version
/// in the portal for the affected organisations.
struct IncidentPages {
    let templates: MustacheLibrary
    let desk: IncidentDesk

    struct DeclareForm: Decodable {
        var csrf: String
        var title: String
        var publicTitle: String?
        var severity: String
        var service: String?
        var tickets: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", title, publicTitle, severity, service, tickets }
    }

    struct UpdateForm: Decodable {
        var csrf: String
        var version: Int
        var state: String
        var symptom: String?
        var impact: String?
        var workaround: String?
        var message: String?
        var noChange: String?
        var action: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", version, state, symptom, impact, workaround, message, noChange, action
        }

        var input: IncidentDesk.UpdateInput {
            IncidentDesk.UpdateInput(
                version: version,
                state: MajorIncident.State(rawValue: state) ?? .investigating,
                symptom: symptom ?? "",
                impact: impact ?? "",
                workaround: workaround ?? "",
                message: message ?? "",
                noChange: noChange != nil
            )
        }

        var values: IncidentPageView.UpdateForm {
            .init(
                symptom: symptom ?? "",
                impact: impact ?? "",
                workaround: workaround ?? "",
                message: message ?? "",
                noChange: noChange != nil
            )
        }
    }

    struct AmendForm: Decodable {
        var csrf: String
        var version: Int
        var lead: String?
        var commsLead: String?
        var linkTicket: String?
        var note: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, lead, commsLead, linkTicket, note }
    }

    struct ReviewForm: Decodable {
        var csrf: String
        var version: Int
        var summary: String
        var impact: String
        var rootCause: String
        var contributingFactors: String?
        var wentWell: String?
        var actionItems: String?
        var knownError: String?
        var customerSummary: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", version, summary, impact, rootCause, contributingFactors, wentWell, actionItems,
                knownError, customerSummary
        }

        var values: IncidentPageView.ReviewForm {
            .init(
                summary: summary,
                impact: impact,
                rootCause: rootCause,
                contributingFactors: contributingFactors ?? "",
                wentWell: wentWell ?? "",
                actionItems: actionItems ?? "",
                knownError: knownError ?? "",
                customerSummary: customerSummary ?? ""
            )
        }
    }

    struct VersionForm: Decodable {
        var csrf: String
        var version: Int
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = desk
        router.get("/console/incidents") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice = request.uri.queryParameters.get("notice") == "closed" ? "The incident is closed." : nil
            return try await listPage(identity, notice: notice)
        }
        router.post("/console/incidents") { request, context in
            let form = try await WebForm.decode(DeclareForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    let publicTitle = form.publicTitle?.trimmingWhitespace()
                    let declaration = IncidentDesk.Declaration(
                        title: form.title,
                        publicTitle: publicTitle?.isEmpty == false ? publicTitle : nil,
                        severity: Severity(rawValue: form.severity) ?? .sev1,
                        services: form.service.flatMap(UUID.init(uuidString:)).map { [$0] } ?? [],
                        tickets: Self.references(form.tickets)
                    )
                    let declared = try await desk.declare(declaration, by: identity.actor)
                    return "/console/incidents/\(declared.reference)?notice=declared"
                },
                orShow: { problem in
                    try await listPage(
                        identity,
                        error: problem.detail,
                        status: problem.status,
                        form: .init(
                            title: form.title,
                            publicTitle: form.publicTitle ?? "",
                            tickets: form.tickets ?? "",
                            severity: form.severity
                        )
                    )
                }
            )
        }
        router.get("/console/incidents/:reference") { request, context in
            let identity = try ConsolePages.staff(context)
            let asked = request.uri.queryParameters.get("notice").map { String($0) } ?? ""
            let notice: String? =
                switch asked {
                case _ where asked.hasPrefix("shared-"):
                    "The review is queued for \(Int(asked.dropFirst(7)) ?? 0) subscriber(s)."
                case "declared": "The incident is declared. Send the first update before it is due."
                case "sent": "The update is sent to every subscriber."
                case "changed": "The incident is changed."
                case "reviewed": "The review is saved."
                default: nil
                }
            return try await incidentPage(try context.pathParameter("reference"), identity, notice: notice)
        }
        router.post("/console/incidents/:reference/updates") { request, context in
            let form = try await WebForm.decode(UpdateForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            if form.action == "preview" {
                do {
                    let text = try await desk.preview(reference, form.input, for: identity.actor)
                    return try await incidentPage(
                        reference,
                        identity,
                        form: form.values,
                        state: form.state,
                        preview: text
                    )
                } catch let error as TierdeskError {
                    if case .notFound = error { throw error }
                    let problem = Problem(error)
                    return try await incidentPage(
                        reference,
                        identity,
                        error: problem.detail,
                        status: problem.status,
                        form: form.values,
                        state: form.state
                    )
                }
            }
            return try await WebForm.submit(
                {
                    let (incident, _) = try await desk.post(reference, form.input, by: identity.actor)
                    return "/console/incidents/\(incident.reference)?notice=sent"
                },
                orShow: { problem in
                    try await incidentPage(
                        reference,
                        identity,
                        error: problem.detail,
                        status: problem.status,
                        form: form.values,
                        state: form.state
                    )
                }
            )
        }
        router.post("/console/incidents/:reference/amend") { request, context in
            let form = try await WebForm.decode(AmendForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    let note = form.note?.trimmingWhitespace()
                    let amendment = IncidentDesk.Amendment(
                        version: form.version,
                        leadID: form.lead.map { UUID(uuidString: $0) },
                        commsLeadID: form.commsLead.map { UUID(uuidString: $0) },
                        linkTickets: Self.references(form.linkTicket),
                        note: note?.isEmpty == false ? note : nil
                    )
                    let incident = try await desk.amend(reference, amendment, by: identity.actor)
                    return "/console/incidents/\(incident.reference)?notice=changed"
                },
                orShow: { problem in
                    try await incidentPage(reference, identity, error: problem.detail, status: problem.status)
                }
            )
        }
        router.post("/console/incidents/:reference/review") { request, context in
            let form = try await WebForm.decode(ReviewForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    let knownError = form.knownError?.trimmingWhitespace()
                    let review = PostIncidentReview(
                        summary: form.summary,
                        impact: form.impact,
                        rootCause: form.rootCause,
                        contributingFactors: form.contributingFactors ?? "",
                        wentWell: form.wentWell ?? "",
                        actionItems: try await desk.actionItems(from: form.actionItems ?? ""),
                        knownError: knownError?.isEmpty == false ? knownError : nil,
                        customerSummary: form.customerSummary ?? ""
                    )
                    let incident = try await desk.review(reference, review, version: form.version, by: identity.actor)
                    return "/console/incidents/\(incident.reference)?notice=reviewed"
                },
                orShow: { problem in
                    try await incidentPage(
                        reference,
                        identity,
                        error: problem.detail,
                        status: problem.status,
                        review: form.values
                    )
                }
            )
        }
        router.post("/console/incidents/:reference/review/share") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    let queued = try await desk.shareReview(reference, by: identity.actor)
                    return "/console/incidents/\(reference.uppercased())?notice=shared-\(queued)"
                },
                orShow: { problem in
                    try await incidentPage(reference, identity, error: problem.detail, status: problem.status)
                }
            )
        }
        router.post("/console/incidents/:reference/close") { request, context in
            let form = try await WebForm.decode(VersionForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    _ = try await desk.close(reference, version: form.version, by: identity.actor)
                    return "/console/incidents?notice=closed"
                },
                orShow: { problem in
                    try await incidentPage(reference, identity, error: problem.detail, status: problem.status)
                }
            )
        }
        router.get("/console/incidents/:reference/review") { _, context in
            let identity = try ConsolePages.staff(context)
            let detail = try await desk.detail(try context.pathParameter("reference"), for: identity.actor)
            guard let review = detail.review else {
                throw TierdeskError.notFound("\(detail.incident.reference) has no review yet.")
            }
            return try await reviewPage(detail, review, identity: identity, customer: false)
        }
        router.get("/portal/incidents/:reference/review") { _, context in
            guard let identity = context.identity, UserView(identity) != nil else {
                throw WebRedirect(location: "/login")
            }
            let (detail, review) = try await desk.customerReview(
                try context.pathParameter("reference"),
                for: identity.actor
            )
            return try await reviewPage(detail, review, identity: identity, customer: !identity.actor.isStaff)
        }
    }

    /// Ticket references typed into a field, separated by commas or spaces.
    static func references(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init).filter { !$0.isEmpty }
    }

    private func listPage(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        form: IncidentListView.Form = .init()
    ) async throws -> Response {
        guard let user = UserView(identity) else { throw WebRedirect(location: "/login") }
        let incidents = try await desk.list(states: nil, for: identity.actor)
        let zone = try await desk.zone(for: identity.actor)
        let now = desk.clock.now()
        let rows = incidents.map { ($0.state.isActive, IncidentRowView($0, now: now, zone: zone)) }
        let services = try await desk.directory.services()
        let view = IncidentListView(
            user: user,
            notice: notice,
            error: error,
            zone: zone.identifier,
            active: rows.filter(\.0).map(\.1),
            earlier: rows.filter { !$0.0 }.map(\.1),
            hasActive: rows.contains { $0.0 },
            hasEarlier: rows.contains { !$0.0 },
            canRun: AccessPolicy.allows(.runIncidents, by: identity.actor),
            form: form,
            severityOptions: [Severity.sev1, .sev2]
                .map {
                    OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form.severity)
                },
            serviceOptions: [OptionView(value: "", label: "—", selected: true)]
                + services.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) }
        )
        return try Templates.page(templates, "incidents", view, status: status)
    }

    private func incidentPage(
        _ reference: String,
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        form: IncidentPageView.UpdateForm = .init(),
        state: String? = nil,
        preview: String? = nil,
        review: IncidentPageView.ReviewForm? = nil
    ) async throws -> Response {
        guard let user = UserView(identity) else { throw WebRedirect(location: "/login") }
        let detail = try await desk.detail(reference, for: identity.actor)
        let incident = detail.incident
        let zone = try await desk.zone(for: identity.actor)
        let names = detail.names
        let staff = try await desk.staff()
        let emails = Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0.email) })
        let selectedState = state ?? incident.state.rawValue
        func people(_ selected: UUID?) -> [OptionView] {
            [OptionView(value: "", label: "nobody", selected: selected == nil)]
                + staff.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: $0.id == selected) }
        }
        let written = detail.review?.review
        let view = IncidentPageView(
            title: incident.reference,
            user: user,
            notice: notice,
            error: error,
            reference: incident.reference,
            incidentTitle: incident.title,
            publicTitle: incident.publicTitle,
            severity: incident.severity.rawValue,
            state: IncidentBroadcast.label(incident.state),
            origin: incident.origin.rawValue,
            lead: incident.leadID.map { names.person($0) } ?? "nobody",
            commsLead: incident.commsLeadID.map { names.person($0) } ?? "nobody",
            services: incident.serviceIDs.map { names.service($0) }.joined(separator: ", "),
            organisations: incident.organisationIDs.map { names.organisation($0) }.joined(separator: ", "),
            declared: DisplayTime.local(incident.declaredAt, in: zone),
            nextUpdate: incident.nextUpdateDue.map { DisplayTime.local($0, in: zone) },
            overdue: incident.nextUpdateDue.map { $0 <= desk.clock.now() } ?? false,
            missedUpdates: incident.missedUpdates,
            zone: zone.identifier,
            tickets: detail.tickets.map(\.reference),
            updates: detail.updates.reversed()
                .map {
                    .init(
                        at: DisplayTime.local($0.at, in: zone),
                        atISO: Timestamp.format($0.at),
                        state: IncidentBroadcast.label($0.state),
                        message: $0.message,
                        author: names.person($0.authorID),
                        noChange: $0.noChange
                    )
                },
            timeline: Self.entries(detail.timeline, names: names, zone: zone),
            version: incident.version,
            csrf: user.csrf,
            canRun: AccessPolicy.allows(.runIncidents, by: identity.actor),
            isOpen: incident.state != .closed,
            isResolved: incident.state == .resolved,
            isActive: incident.state.isActive,
            stateOptions: [MajorIncident.State.investigating, .identified, .monitoring, .resolved]
                .map {
                    OptionView(
                        value: $0.rawValue,
                        label: IncidentBroadcast.label($0),
                        selected: $0.rawValue == selectedState
                    )
                },
            leadOptions: people(incident.leadID),
            commsOptions: people(incident.commsLeadID),
            form: form,
            preview: preview,
            reviewRequired: detail.reviewRequired,
            hasReview: written != nil,
            review: review
                ?? written.map {
                    .init(
                        summary: $0.summary,
                        impact: $0.impact,
                        rootCause: $0.rootCause,
                        contributingFactors: $0.contributingFactors,
                        wentWell: $0.wentWell,
                        actionItems: IncidentViews.itemsText($0.actionItems, emails: emails),
                        knownError: $0.knownError ?? "",
                        customerSummary: $0.customerSummary
                    )
                } ?? .init()
        )
        return try Templates.page(templates, "incident", view, status: status)
    }

    static func entries(_ timeline: [IncidentEntry], names: NameBook, zone: TimeZone) -> [IncidentPageView.Entry] {
        timeline.map {
            .init(
                at: DisplayTime.local($0.at, in: zone),
                atISO: Timestamp.format($0.at),
                kind: $0.kind.rawValue,
                who: $0.actorID.map { names.person($0) } ?? "Tierdesk",
                text: $0.text
            )
        }
    }

    private func reviewPage(
        _ detail: IncidentDesk.Detail,
        _ stored: IncidentRepository.StoredReview,
        identity: Identity,
        customer: Bool
    ) async throws -> Response {
        let incident = detail.incident
        let review = stored.review
        let zone = try await desk.zone(for: identity.actor)
        let names = detail.names
        let owners = try await desk.names(people: Set(review.actionItems.compactMap(\.ownerID)))
        let view = IncidentReviewView(
            title: "Review of \(incident.reference)",
            user: UserView(identity),
            reference: incident.reference,
            publicTitle: incident.publicTitle,
            internalTitle: customer ? nil : incident.title,
            severity: incident.severity.rawValue,
            started: DisplayTime.local(incident.declaredAt, in: zone),
            resolved: incident.resolvedAt.map { DisplayTime.local($0, in: zone) } ?? "—",
            duration: MajorIncident.durationText(incident.duration(at: desk.clock.now())),
            services: incident.serviceIDs.map { names.service($0) }.joined(separator: ", "),
            organisations: customer
                ? nil : incident.organisationIDs.map { names.organisation($0) }.joined(separator: ", "),
            tickets: customer ? nil : detail.tickets.count,
            costs: customer ? [] : detail.impact.costs.map(IncidentViews.cost),
            summary: customer ? review.customerText : review.summary,
            impact: review.impact,
            rootCause: review.rootCause,
            contributingFactors: customer ? nil : review.contributingFactors,
            wentWell: customer ? nil : review.wentWell,
            items: review.actionItems.map {
                .init(
                    title: $0.title,
                    owner: customer ? "" : $0.ownerID.map { owners.person($0) } ?? "",
                    due: $0.due ?? "",
                    ticket: customer ? "" : $0.ticket ?? ""
                )
            },
            hasItems: !review.actionItems.isEmpty,
            knownError: customer ? nil : review.knownError,
            timeline: customer
                ? detail.updates.map {
                    .init(
                        at: DisplayTime.local($0.at, in: zone),
                        atISO: Timestamp.format($0.at),
                        kind: $0.state.rawValue,
                        who: "",
                        text: $0.message
                    )
                }
                : Self.entries(detail.timeline, names: names, zone: zone),
            isCustomer: customer,
            zone: zone.identifier
        )
        return try Templates.page(templates, "incident_review", view)
    }
}
