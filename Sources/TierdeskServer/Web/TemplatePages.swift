import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Canned responses and macros in the console: the list with a form for a new one, and using one on a
/// ticket page (put into the reply box to edit, or applied at once).
struct TemplatePages {
    let console: ConsolePages
    let templates: MustacheLibrary
    let desk: ResponseTemplateDesk

    struct TemplateForm: Decodable {
        var csrf: String
        var name: String
        var body: String
        var shared: String?
        var status: String?
        var group: String?
        var assignToMe: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", name, body, shared, status, group, assignToMe }

        var kept: KeptForm {
            KeptForm("template", ["name": name, "body": body, "group": group, "status": status])
        }

        func statusValue() throws -> TicketStatus? {
            guard let status, !status.isEmpty else { return nil }
            guard let parsed = TicketStatus(rawValue: status) else {
                throw TierdeskError.invalid(field: "status", "is not a status")
            }
            return parsed
        }
    }

    struct UseForm: Decodable {
        var csrf: String
        var template: String
        var use: String
        var seen: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", template, use, seen }
    }

    static let notices = ["created": "Canned response saved.", "deleted": "Canned response removed."]

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/templates") { request, context in
            let identity = try ConsolePages.staff(context)
            let notice = request.uri.queryParameters.get("notice").flatMap { Self.notices[$0] }
            return try await page(identity, notice: notice)
        }
        router.post("/console/templates") { request, context in
            let form = try await WebForm.decode(TemplateForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    _ = try await desk.create(
                        name: form.name,
                        body: form.body,
                        shared: form.shared == "1",
                        status: try form.statusValue(),
                        group: form.group,
                        assignToMe: form.assignToMe == "1",
                        by: identity.actor
                    )
                    return "/console/templates?notice=created"
                },
                orShow: { problem in
                    var kept = form.kept
                    // The problem's own messages: "body" here is a template's text, not a reply to send.
                    let message = kept.refuse(problem, form: "template", words: [:])
                    return try await page(identity, error: message, status: problem.status, kept: kept)
                }
            )
        }
        router.post("/console/templates/:id/delete") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            guard let id = UUID(uuidString: try context.pathParameter("id")) else {
                throw TierdeskError.notFound("No such canned response.")
            }
            return try await WebForm.submit(
                {
                    try await desk.delete(id, by: identity.actor)
                    return "/console/templates?notice=deleted"
                },
                orShow: { problem in try await page(identity, error: problem.detail, status: problem.status) }
            )
        }
        router.post("/console/tickets/:reference/template") { request, context in
            let form = try await WebForm.decode(UseForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            guard let id = UUID(uuidString: form.template) else {
                throw Problem(.badRequest, "Choose a canned response.")
            }
            if form.use == "apply" {
                return try await console.submit(reference, identity, success: "template") {
                    try await console.refuseIfOthersChanged(
                        reference,
                        since: form.seen,
                        by: identity.actor,
                        doing: "choosing the canned response"
                    )
                    try await desk.apply(id, to: reference, by: identity.actor)
                }
            }
            // Put into the reply box, to be read and changed before it is sent.
            let text = try await desk.text(id, for: reference, by: identity.actor)
            return try await console.ticketPage(
                reference,
                identity: identity,
                notice: "The canned response is in the reply box: read it, change it, send it.",
                kept: KeptForm("reply", ["body": text])
            )
        }
    }

    private func page(
        _ identity: Identity,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        kept: KeptForm = KeptForm()
    ) async throws -> Response {
        let available = try await desk.available(to: identity.actor)
        let user = UserView(identity)
        let canShare = desk.managesShared(identity.actor)
        let view = TemplateListView(
            user: user,
            notice: notice,
            error: error,
            csrf: user?.csrf ?? "",
            templates: available.map { TemplateView($0, canDelete: $0.ownerID != nil || canShare) },
            hasTemplates: !available.isEmpty,
            canShare: canShare,
            statuses: TicketStatus.allCases.filter { $0 != .new }
                .map {
                    OptionView(
                        value: $0.rawValue,
                        label: StatusLabel.text($0),
                        selected: $0.rawValue == kept.values["templateStatus"]
                    )
                },
            placeholders: TemplateText.Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", "),
            kept: kept.values,
            refusals: kept.refusals
        )
        return try Templates.page(templates, "templates", view, status: status)
    }
}
