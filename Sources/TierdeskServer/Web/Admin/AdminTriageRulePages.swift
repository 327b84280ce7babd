import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// `/console/admin/triage-rules`: the rules in order and in words; a builder of conditions and actions,
/// with "test on a ticket" showing what the rule would do to it before it is saved.
struct AdminTriageRulePages {
    let templates: MustacheLibrary
    let directory: DirectoryDesk
    let triageDesk: TriageDesk

    struct MoveForm: Decodable {
        var csrf: String
        var index: Int
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", index }
    }

    static let notices = [
        "saved": "Rule saved; new tickets follow it at once.", "removed": "Rule removed.", "moved": "Order saved.",
    ]

    func register(_ router: Router<TierdeskRequestContext>) {
        let desk = triageDesk
        router.get("/console/admin/triage-rules") { request, context in
            let identity = try AdminPages.admin(context)
            let rules = try await desk.rules(for: identity.actor).rules
            var form = TriageRuleForm()
            if let text = request.uri.queryParameters.get("edit"), let index = Int(text), rules.indices.contains(index)
            {
                form = TriageRuleForm(rules[index], index: index)
            }
            return try await page(
                identity,
                form: form,
                notice: request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            )
        }
        router.post("/console/admin/triage-rules") { request, context in
            let form = try await WebForm.decode(TriageRuleForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            do {
                let rule = try form.rule()
                if form.action == "test" {
                    let reference = (form.testTicket ?? "").trimmingWhitespace()
                    guard !reference.isEmpty else {
                        throw TierdeskError.invalid(
                            field: "testTicket",
                            "name a ticket to try the rule on, such as TD-1042"
                        )
                    }
                    let (_, events) = try await desk.preview(rule, on: reference, by: identity.actor)
                    let preview = TriagePreviewView(
                        reference: reference.uppercased(),
                        matched: !events.isEmpty,
                        changes: events.map(TriageRuleWords.change)
                    )
                    return try await page(identity, form: form, preview: preview)
                }
                var rules = try await desk.rules(for: identity.actor)
                if let text = form.index, !text.isEmpty {
                    guard let index = Int(text), rules.rules.indices.contains(index) else {
                        throw TierdeskError.conflict("The rules changed meanwhile; reload the page.")
                    }
                    rules.rules[index] = rule
                } else {
                    rules.rules.append(rule)
                }
                try await save(rules, by: identity.actor)
                return Response.redirect(to: "/console/admin/triage-rules?notice=saved", type: .normal)
            } catch let error as TierdeskError {
                if case .notFound(let detail) = error, form.action == "test" {
                    return try await page(identity, form: form, error: detail, status: .unprocessableContent)
                }
                let problem = Problem(error)
                return try await page(identity, form: form, error: AdminPages.refusal(problem), status: problem.status)
            }
        }
        router.post("/console/admin/triage-rules/remove") { request, context in
            let form = try await WebForm.decode(MoveForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            var rules = try await desk.rules(for: identity.actor)
            guard rules.rules.indices.contains(form.index) else { throw TierdeskError.notFound("No such rule.") }
            rules.rules.remove(at: form.index)
            try await save(rules, by: identity.actor)
            return Response.redirect(to: "/console/admin/triage-rules?notice=removed", type: .normal)
        }
        router.post("/console/admin/triage-rules/up") { request, context in
            let form = try await WebForm.decode(MoveForm.self, from: request)
            let identity = try AdminPages.checkedAdmin(context, token: form.csrf)
            var rules = try await desk.rules(for: identity.actor)
            guard form.index > 0, rules.rules.indices.contains(form.index) else {
                throw TierdeskError.notFound("No such rule.")
            }
            rules.rules.swapAt(form.index, form.index - 1)
            try await save(rules, by: identity.actor)
            return Response.redirect(to: "/console/admin/triage-rules?notice=moved", type: .normal)
        }
    }

    private func save(_ rules: TriageRules, by actor: Actor) async throws {
        do {
            try await triageDesk.save(try rules.validated(), by: actor)
        } catch let failure as ValidationFailure {
            throw TierdeskError.invalid(failure)
        }
    }

    private func page(
        _ identity: Identity,
        form: TriageRuleForm,
        notice: String? = nil,
        error: String? = nil,
        preview: TriagePreviewView? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rules = try await triageDesk.rules(for: identity.actor).rules
        let services = try await directory.services()
        let groups = try await directory.groups(for: identity.actor)
        let serviceNames = Dictionary(uniqueKeysWithValues: services.map { ($0.id, $0.name) })
        let user = UserView(identity)
        let view = TriageRulesView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            rules: rules.enumerated()
                .map { index, rule in
                    TriageRuleRowView(
                        index: index,
                        number: index + 1,
                        name: rule.name,
                        enabled: rule.enabled,
                        when: TriageRuleWords.conditions(rule.when, services: serviceNames),
                        then: TriageRuleWords.actions(rule.then),
                        canMoveUp: index > 0
                    )
                },
            hasRules: !rules.isEmpty,
            form: TriageRuleFormView(form, services: services, groups: groups),
            preview: preview
        )
        return try Templates.page(templates, "admin_triage_rules", view, status: status)
    }
}
