import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// Routes shared by the console and the portal: start page, health and readiness, style sheet and script,
/// error pages.
struct WebPages {
    let templates: MustacheLibrary
    let stylesheet: String
    let script: String
    let database: TierdeskDatabase

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
        // Ready for traffic: the database answers and every migration has run (a load balancer waits for it).
        let database = database
        router.get("/ready") { _, _ in
            let text: String
            let status: HTTPResponse.Status
            do {
                let pending = try await database.pendingMigrations()
                (status, text) =
                    pending.isEmpty
                    ? (.ok, "ready\n")
                    : (.serviceUnavailable, "migrations not yet run: \(pending.joined(separator: ", "))\n")
            } catch {
                (status, text) = (.serviceUnavailable, "the database does not answer\n")
            }
            return Response(
                status: status,
                headers: [.contentType: "text/plain", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: text))
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
        let js = script
        router.get("/static/tierdesk.js") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600",
                    .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(string: js))
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
