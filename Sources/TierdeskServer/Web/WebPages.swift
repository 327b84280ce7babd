import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Routes shared by the console and the portal: start page, health, style sheet, error pages.
struct WebPages {
    let templates: MustacheLibrary
    let stylesheet: String

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/") { _, context in
            guard let identity = context.identity else { return Response.redirect(to: "/login", type: .normal) }
            return Response.redirect(to: identity.actor.isStaff ? "/console" : "/portal", type: .normal)
        }
        router.get("/health") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
            )
        }
        let css = stylesheet
        router.get("/static/tierdesk.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: css))
            )
        }
    }

    /// A readable page for a problem; redirects instead when the problem is "sign in first".
    static func errorPage(_ problem: Problem, context: TierdeskRequestContext, templates: MustacheLibrary) throws
        -> Response
    {
        if problem.status == .unauthorized { return .redirect(to: "/login", type: .normal) }
        let heading = problem.status == .notFound ? "Not found" : problem.title
        let view = ErrorView(
            title: heading,
            heading: heading,
            message: problem.detail,
            user: UserView(context.identity)
        )
        return try Templates.page(templates, "error", view, status: problem.status)
    }
}
