import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// The Known Error Database in the console: search, write an article, and apply one from a ticket page.
struct KnownErrorPages {
    /// Shows the ticket page again when applying an article fails.
    let console: ConsolePages
    let templates: MustacheLibrary
    let ticketDesk: TicketDesk
    let knownErrorDesk: KnownErrorDesk

    struct ArticleForm: Decodable {
        var csrf: String
        var title: String
        var symptom: String
        var rootCause: String
        var workaround: String
        var lowestTier: String
        var fixStatus: String
        var problemTicket: String?
        var isPublic: String?
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf", title, symptom, rootCause, workaround, lowestTier, fixStatus, problemTicket
            case isPublic = "public"
        }

        var values: KnownErrorFormValues {
            var values = KnownErrorFormValues()
            values.title = title
            values.symptom = symptom
            values.rootCause = rootCause
            values.workaround = workaround
            values.lowestTier = lowestTier
            values.fixStatus = fixStatus
            values.problemTicket = problemTicket ?? ""
            values.isPublic = isPublic == "1"
            return values
        }

        var draft: KnownErrorDraft {
            KnownErrorDraft(
                title: title,
                symptom: symptom,
                rootCause: rootCause,
                workaround: workaround,
                fixStatus: FixStatus(rawValue: fixStatus) ?? .workaroundOnly,
                lowestTier: Tier(rawValue: lowestTier) ?? .l1,
                isPublic: isPublic == "1"
            )
        }

        /// The problem ticket's reference, when one is given.
        var problemReference: String? {
            problemTicket.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        }
    }

    struct PublicForm: Decodable {
        var csrf: String
        var isPublic: String
        enum CodingKeys: String, CodingKey {
            case csrf = "_csrf"
            case isPublic = "public"
        }
    }

    struct ApplyForm: Decodable {
        var csrf: String
        var version: Int
        var knownError: String
        var resolve: String?
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", version, knownError, resolve }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        let articles = knownErrorDesk
        router.get("/console/known-errors") { request, context in
            let identity = try ConsolePages.staff(context)
            let parameters = request.uri.queryParameters
            let notice =
                parameters.get("created").map { "Article \($0.prefix(20)) saved." }
                ?? parameters.get("shown").map { "Article \($0.prefix(20)) is shown to customers in the portal." }
                ?? parameters.get("hidden").map { "Article \($0.prefix(20)) is no longer shown to customers." }
            return try await page(identity, q: request.uri.queryParameters.get("q") ?? "", notice: notice)
        }
        router.post("/console/known-errors") { request, context in
            let form = try await WebForm.decode(ArticleForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            return try await WebForm.submit(
                {
                    let article = try await articles.create(
                        form.draft,
                        problemTicket: form.problemReference,
                        by: identity.actor
                    )
                    return
                        "/console/known-errors?q=\(ConsolePages.escapeQuery(article.title))&created=\(article.reference)"
                },
                orShow: { problem in
                    try await page(identity, q: "", form: form.values, error: problem.detail, status: problem.status)
                }
            )
        }
        router.post("/console/known-errors/:reference/public") { request, context in
            let form = try await WebForm.decode(PublicForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let article = try await articles.setPublic(
                try context.pathParameter("reference"),
                form.isPublic == "1",
                by: identity.actor
            )
            let key = article.isPublic ? "shown" : "hidden"
            return Response.redirect(
                to: "/console/known-errors?q=\(ConsolePages.escapeQuery(article.title))&\(key)=\(article.reference)",
                type: .normal
            )
        }
        router.post("/console/tickets/:reference/known-error") { request, context in
            let form = try await WebForm.decode(ApplyForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            let reference = try context.pathParameter("reference")
            return try await WebForm.submit(
                {
                    _ = try await ticketDesk.applyKnownError(
                        form.knownError,
                        to: reference,
                        resolve: form.resolve != nil,
                        expectedVersion: form.version,
                        by: identity.actor
                    )
                    return
                        "/console/tickets/\(reference.uppercased())?notice=\(form.resolve != nil ? "resolvedFromKEDB" : "linked")"
                },
                orShow: { problem in
                    try await console.ticketPage(
                        reference,
                        identity: identity,
                        error: problem.detail,
                        status: problem.status
                    )
                }
            )
        }
    }

    private func page(
        _ identity: Identity,
        q: String,
        form: KnownErrorFormValues = KnownErrorFormValues(),
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let text = String(q.prefix(2000))
        let found = try await knownErrorDesk.articles(
            matching: text,
            limit: text.trimmingWhitespace().isEmpty ? 50 : 20,
            for: identity.actor
        )
        let user = UserView(identity)
        let view = KnownErrorPageView(
            user: user,
            notice: notice,
            error: error,
            q: text,
            articles: found.map(KnownErrorView.init),
            hasArticles: !found.isEmpty,
            canWrite: AccessPolicy.allows(.writeKnownErrors, by: identity.actor),
            csrf: user?.csrf ?? "",
            form: form,
            tiers: [Tier.l1, .l2, .l3]
                .map { OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == form.lowestTier) },
            fixStatuses: FixStatus.allCases.map {
                OptionView(
                    value: $0.rawValue,
                    label: $0.rawValue.replacingOccurrences(of: "_", with: " "),
                    selected: $0.rawValue == form.fixStatus
                )
            }
        )
        return try Templates.page(templates, "known_errors", view, status: status)
    }
}
