import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/console/incident-settings`: the incident policy (cadence, reminders, reviews, automatic declaration,
/// update templates) and the subscribers of updates; staff read them, managers and admins change them.
struct IncidentSettingsPages {
    let templates: MustacheLibrary
    let desk: IncidentDesk

    struct PolicyForm: Decodable {
        var csrf: String
        var sev1UpdateMinutes: String
        var sev2UpdateMinutes: String
        var reminderMinutes: String
        var reviewRequiredForSev2: String?
        var declareOnSev1: String?
        var burstTickets: String
        var burstMinutes: String
        var investigating: String
        var identified: String
        var monitoring: String
        var resolved: String
        var review: String
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", sev1UpdateMinutes, sev2UpdateMinutes, reminderMinutes, reviewRequiredForSev2,
                declareOnSev1, burstTickets, burstMinutes, investigating, identified, monitoring, resolved, review
        }

        /// The policy the form describes; numbers that are not numbers are named.
        func policy() throws -> IncidentPolicy {
            var errors: [FieldError] = []
            func number(_ text: String, _ field: String) -> Int {
                guard let value = Int(text.trimmingWhitespace()) else {
                    errors.append(FieldError(field: field, message: "must be a whole number"))
                    return 0
                }
                return value
            }
            let policy = IncidentPolicy(
                sev1UpdateMinutes: number(sev1UpdateMinutes, "sev1UpdateMinutes"),
                sev2UpdateMinutes: number(sev2UpdateMinutes, "sev2UpdateMinutes"),
                reminderMinutes: number(reminderMinutes, "reminderMinutes"),
                reviewRequiredForSev2: reviewRequiredForSev2 != nil,
                declareOnSev1: declareOnSev1 != nil,
                burstTickets: number(burstTickets, "burstTickets"),
                burstMinutes: number(burstMinutes, "burstMinutes"),
                templates: IncidentTemplates(
                    investigating: investigating,
                    identified: identified,
                    monitoring: monitoring,
                    resolved: resolved,
                    review: review
                )
            )
            if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
            return policy
        }
    }

    struct SubscriberForm: Decodable {
        var csrf: String
        var kind: String
        var target: String
        var service: String?
        var organisation: String?
        var allowPrivateTargets: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", kind, target, service, organisation, allowPrivateTargets
        }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = desk
        router.get("/console/incident-settings") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice: String? =
                switch request.uri.queryParameters.get("notice") {
                case "saved": "The incident policy is saved."
                case "added": "The subscriber is added."
                case "removed": "The subscriber is removed."
                default: nil
                }
            return try await page(identity, notice: notice)
        }
        router.post("/console/incident-settings") { request, context in
            let form = try await WebForm.decode(PolicyForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    _ = try await desk.save(try form.policy(), by: identity.actor)
                    return "/console/incident-settings?notice=saved"
                },
                orShow: { problem in
                    try await page(identity, error: problem.detail, status: problem.status, policy: try? form.policy())
                }
            )
        }
        router.post("/console/incident-settings/subscribers") { request, context in
            let form = try await WebForm.decode(SubscriberForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    guard let kind = IncidentSubscriber.Kind(rawValue: form.kind) else {
                        throw TierdeskError.invalid(field: "kind", "must be email, webhook, slack or teams")
                    }
                    _ = try await desk.subscribe(
                        IncidentDesk.NewSubscriber(
                            kind: kind,
                            target: form.target,
                            serviceID: form.service.flatMap(UUID.init(uuidString:)),
                            organisationID: form.organisation.flatMap(UUID.init(uuidString:)),
                            allowPrivateTargets: form.allowPrivateTargets != nil
                        ),
                        by: identity.actor
                    )
                    return "/console/incident-settings?notice=added"
                },
                orShow: { problem in try await page(identity, error: problem.detail, status: problem.status) }
            )
        }
        router.post("/console/incident-settings/subscribers/:subscriberId/remove") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let id = try context.uuidParameter("subscriberId", what: "subscriber")
            return try await WebForm.submit(
                {
                    try await desk.unsubscribe(id, by: identity.actor)
                    return "/console/incident-settings?notice=removed"
                },
                orShow: { problem in try await page(identity, error: problem.detail, status: problem.status) }
            )
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        policy: IncidentPolicy? = nil
    ) async throws -> Response {
        guard let user = UserView(identity) else { throw WebRedirect(location: "/login") }
        let stored = try await desk.policy(for: identity.actor)
        let canManage = AccessPolicy.allows(.manageIncidentSubscribers, by: identity.actor)
        let subscribers = canManage ? try await desk.subscribers(for: identity.actor) : []
        let names = try await desk.names(people: [])
        let view = IncidentSettingsView(
            user: user,
            notice: notice,
            error: error,
            policy: policy ?? stored,
            canManage: canManage,
            isAdmin: identity.actor.has(.admin),
            subscribers: subscribers.map {
                .init(
                    id: $0.id.uuidString,
                    kind: $0.kind.rawValue,
                    target: $0.target,
                    scope: [
                        $0.serviceID.map { names.service($0) }, $0.organisationID.map { names.organisation($0) },
                    ]
                    .compactMap(\.self).joined(separator: " · ")
                )
            },
            serviceOptions: [OptionView(value: "", label: "every service", selected: true)]
                + names.services.sorted { $0.value < $1.value }
                .map { OptionView(value: $0.key.uuidString, label: $0.value, selected: false) },
            organisationOptions: [OptionView(value: "", label: "every organisation", selected: true)]
                + names.organisations.sorted { $0.value < $1.value }
                .map { OptionView(value: $0.key.uuidString, label: $0.value, selected: false) }
        )
        return try Templates.page(templates, "incident_settings", view, status: status)
    }
}

/// The incident settings page as its template reads it.
struct IncidentSettingsView {
    struct Subscriber {
        var id: String
        var kind: String
        var target: String
        var scope: String
    }
    var title = "Incident settings"
    var user: UserView
    var notice: String?
    var error: String?
    var policy: IncidentPolicy
    var canManage: Bool
    var isAdmin: Bool
    var subscribers: [Subscriber]
    var serviceOptions: [OptionView]
    var organisationOptions: [OptionView]
}
