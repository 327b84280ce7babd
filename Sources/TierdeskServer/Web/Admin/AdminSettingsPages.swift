import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/admin/settings`: the priority matrix and the escalation gates, as forms.
struct AdminSettingsPages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let settings: SettingsDesk

    static let notices = [
        "matrix": "Priority matrix saved; it applies to tickets from their next change of impact or urgency.",
        "gates": "Escalation gates saved.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        let settings = settings
        let directory = directory
        router.get("/console/admin/settings") { request, context in
            let identity = try AdminPages.admin(context)
            return try await page(
                identity,
                notice: request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            )
        }
        router.post("/console/admin/priority-matrix") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: values["_csrf"] ?? "")
            return try await WebForm.submit(
                {
                    try await settings.save(try AdminSettingsForm.matrix(values), by: identity.actor)
                    return "/console/admin/settings?notice=matrix"
                },
                orShow: { problem in
                    try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
                }
            )
        }
        router.post("/console/admin/escalation-gates") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: values["_csrf"] ?? "")
            return try await WebForm.submit(
                {
                    let services = try await directory.services()
                    try await settings.save(AdminSettingsForm.gates(values, services: services), by: identity.actor)
                    return "/console/admin/settings?notice=gates"
                },
                orShow: { problem in
                    try await page(identity, error: AdminPages.refusal(problem), status: problem.status)
                }
            )
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let services = try await directory.services()
        let user = UserView(identity)
        let view = AdminSettingsView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            urgencies: Level.allCases.map(\.rawValue),
            matrix: AdminSettingsForm.matrixRows(try await settings.priorityMatrix()),
            gates: AdminSettingsForm.gateRows(
                try await settings.escalationGates(for: identity.actor),
                services: services
            )
        )
        return try Templates.page(templates, "admin_settings", view, status: status)
    }
}
