import Foundation
import Hummingbird
import Logging
import Mustache
import TierdeskCore

/// Turns every error into a clear answer: problem+json under `/api/`, a readable page elsewhere.
/// Unexpected errors are logged and answered without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = TierdeskRequestContext

    /// The templates of the readable error pages.
    let templates: MustacheLibrary
    let routes: APIRouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let redirect as WebRedirect {
            return try redirect.response(from: request, context: context)
        } catch {
            var problem = Self.problem(for: error, request: request, logger: context.logger)
            if let error = error as? HTTPError, error.status == .notFound, request.uri.path.hasPrefix("/api/") {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    problem = Problem(
                        .methodNotAllowed,
                        "\(request.uri.path.prefix(200)) takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue)."
                    )
                    problem.headers[.allow] = allowed.joined(separator: ", ")
                }
            }
            if request.uri.path.hasPrefix("/api/") {
                return try problem.response(from: request, context: context)
            }
            return try WebPages.errorPage(problem, context: context, templates: templates)
        }
    }

    static func problem(for error: any Error, request: Request, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as TierdeskError:
            return Problem(error)
        case let error as HTTPError:
            if error.status == .notFound {
                return Problem(
                    .notFound,
                    "Nothing is served at \(request.method.rawValue) \(request.uri.path.prefix(200))."
                )
            }
            if error.status == .contentTooLarge {
                return Problem(.contentTooLarge, "The request body is too large.")
            }
            return Problem(error.status, error.body ?? error.status.reasonPhrase)
        default:
            logger.error(
                "Request failed",
                metadata: ["error": "\(String(reflecting: error))", "path": "\(Self.loggable(request.uri.path))"]
            )
            return Problem(
                .internalServerError,
                "Something went wrong on the server; it has been logged. Nothing was changed if the request was a write."
            )
        }
    }

    /// A path as the log may keep it: an invitation's secret is left out.
    static func loggable(_ path: String) -> String {
        path.hasPrefix("/invite/") ? "/invite/…" : path
    }
}
