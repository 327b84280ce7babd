import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/sla`: the calendars and policies in force, for staff; admins edit them here too.
/// Edits go through the same desk as the API, so the same checks apply and open tickets are recomputed.
struct SLAPages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let slaSettingsDesk: SLASettingsDesk

    static let notices = [
        "calendar": "Calendar saved; open tickets were recomputed.",
        "policy": "Policy saved; open tickets were recomputed.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = slaSettingsDesk
        router.get("/console/sla") { request, context in
            let identity = try ConsolePages.staff(context)
            let parameters = request.uri.queryParameters
            var form = FormValues()
            let configuration = try await desk.current()
            if let name = parameters.get("calendar"), let calendar = configuration.calendars[name] {
                form.calendar = CalendarForm(name: name, calendar: calendar)
            }
            if let name = parameters.get("policy"), let policy = configuration.policy(named: name) {
                form.policy = PolicyForm(policy)
            }
            return try await page(identity, form: form, notice: parameters.get("notice").flatMap { Self.notices[$0] })
        }
        router.post("/console/sla/calendars") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: values["_csrf"] ?? "")
            let form = CalendarForm(values)
            return try await WebForm.submit(
                {
                    try DirectoryDesk.requireConfigure(identity.actor)
                    let spec = try form.spec()
                    _ = try await desk.update { try $0.setting(calendar: try spec.calendar(), named: form.name) }
                    return "/console/sla?notice=calendar"
                },
                orShow: { problem in
                    try await page(
                        identity,
                        form: FormValues(calendar: form),
                        error: problem.detail,
                        status: problem.status
                    )
                }
            )
        }
        router.post("/console/sla/policies") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: values["_csrf"] ?? "")
            let form = PolicyForm(values)
            return try await WebForm.submit(
                {
                    try DirectoryDesk.requireConfigure(identity.actor)
                    let spec = try form.spec()
                    try await desk.checkScope(spec.scope)
                    _ = try await desk.update { try $0.setting(policy: try spec.policy(named: form.name)) }
                    return "/console/sla?notice=policy"
                },
                orShow: { problem in
                    try await page(
                        identity,
                        form: FormValues(policy: form),
                        error: problem.detail,
                        status: problem.status
                    )
                }
            )
        }
    }

    /// What the edit forms show: an existing item to change, or what was sent when it was refused.
    struct FormValues {
        var calendar = CalendarForm()
        var policy = PolicyForm()
    }

    private func page(
        _ identity: Identity,
        form: FormValues,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let configuration = try await slaSettingsDesk.current()
        let services = try await directory.services()
        let organisations = try await directory.organisations(for: identity.actor)
        var scopes = [OptionView(value: "", label: "Every ticket (default)", selected: form.policy.scope.isEmpty)]
        scopes += services.map {
            OptionView(
                value: "service:\($0.id.uuidString)",
                label: "Service \($0.name)",
                selected: form.policy.scope == "service:\($0.id.uuidString)"
            )
        }
        scopes += organisations.map {
            OptionView(
                value: "organisation:\($0.id.uuidString)",
                label: "Organisation \($0.name)",
                selected: form.policy.scope == "organisation:\($0.id.uuidString)"
            )
        }
        let names = Dictionary(
            uniqueKeysWithValues: services.map { ($0.id, "service \($0.name)") }
                + organisations.map { ($0.id, "organisation \($0.name)") }
        )
        let calendarNames = [BusinessCalendar.twentyFourSevenName] + configuration.calendars.keys.sorted()
        let view = SLAPageView(
            user: UserView(identity),
            notice: notice,
            error: error,
            calendars: CalendarDTO.all(configuration).map(CalendarView.init),
            policies: configuration.policies.map { PolicyView($0, scopeNames: names) },
            isAdmin: AccessPolicy.allows(.configure, by: identity.actor),
            csrf: UserView(identity)?.csrf ?? "",
            calendarForm: CalendarFormView(form.calendar),
            policyForm: PolicyFormView(form.policy, calendars: calendarNames, scopes: scopes)
        )
        return try Templates.page(templates, "sla", view, status: status)
    }
}
