import Foundation
import Hummingbird
import Mustache
import TierdeskCore

/// `/portal/known-errors`: the Known Error Database articles marked for customers, searchable, so a
/// requester finds the workaround before opening a ticket. Only what customers may read is shown: title,
/// symptom, workaround and how far the fix has come; never the root cause or the tiers.
struct PortalKnowledgePages {
    let templates: MustacheLibrary
    let desk: KnownErrorDesk

    struct PageView {
        var title = "Known problems and workarounds"
        var user: UserView?
        var notice: String? = nil
        var error: String? = nil
        var q: String
        var articles: [ArticleView]
        var hasArticles: Bool
    }

    struct ArticleView {
        var reference: String
        var title: String
        var symptom: String
        var workaround: String
        var fix: String

        init(_ article: KnownError) {
            reference = article.reference
            title = article.title
            symptom = article.symptom
            workaround = article.workaround
            fix =
                switch article.fixStatus {
                case .workaroundOnly: "A permanent fix is not planned yet; the workaround helps meanwhile."
                case .fixInProgress: "A permanent fix is being built."
                case .fixed: "Fixed in the current release."
                }
        }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/portal/known-errors") { request, context in
            let (_, user) = try PortalPages.signedIn(context)
            let q = String((request.uri.queryParameters.get("q") ?? "").prefix(200))
            let found = try await desk.publicArticles(matching: q)
            let view = PageView(user: user, q: q, articles: found.map(ArticleView.init), hasArticles: !found.isEmpty)
            return try Templates.page(templates, "portal_known_errors", view)
        }
    }
}
