import Foundation
import HTTPTypes
import Hummingbird

/// Registers API routes and remembers each one in the OpenAPI spelling (`GET /api/v1/tickets/{reference}`),
/// so a test can prove that the router and the OpenAPI document agree.
final class APIRoutes {
    typealias Handler = @Sendable (Request, TierdeskRequestContext) async throws -> Response
    typealias SignedInHandler = @Sendable (Request, SignedInContext) async throws -> Response

    private let router: Router<TierdeskRequestContext>
    /// Routes whose handlers need a signed-in caller; anonymous requests get 401 before they run.
    private let signedInGroup: RouterGroup<SignedInContext>
    /// The routes as registered, also for answering a method a path does not take (405 with `Allow`).
    let table: APIRouteTable

    var registered: [String] { table.registered }

    init(router: Router<TierdeskRequestContext>, table: APIRouteTable) {
        self.router = router
        self.table = table
        signedInGroup = router.group(context: SignedInContext.self)
    }

    /// Adds a route anyone may call (integrations check their own tokens). `path` uses OpenAPI's `{name}`
    /// placeholders.
    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(method.rawValue, path)
        router.on(Self.routerPath(path), method: method) { request, context in
            try await handler(request, context)
        }
    }

    /// Adds a route for signed-in callers.
    func signedIn(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping SignedInHandler) {
        table.add(method.rawValue, path)
        signedInGroup.on(Self.routerPath(path), method: method) { request, context in
            try await handler(request, context)
        }
    }

    /// Hummingbird's spelling of an OpenAPI path (`:name` for `{name}`).
    private static func routerPath(_ path: String) -> RouterPath {
        RouterPath(path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
    }
}

extension RequestContext {
    /// A required path parameter.
    func pathParameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw Problem(.badRequest, "The path is missing \(name).") }
        return value
    }

    /// A path parameter that must be a UUID; anything else is "not found".
    func uuidParameter(_ name: String, what: String) throws -> UUID {
        guard let value = parameters.get(name), let id = UUID(uuidString: value) else {
            throw Problem(.notFound, "No \(what) has the id \(parameters.get(name)?.prefix(40) ?? "").")
        }
        return id
    }
}

extension Request {
    /// An optional query parameter that must name one of an enum's values; anything else is a 400 that lists them.
    func enumQuery<T: RawRepresentable<String> & CaseIterable>(_ name: String, as type: T.Type) throws -> T? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = T(rawValue: String(raw)) else {
            throw Problem.badRequest(
                field: name,
                "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \(raw.prefix(40)))"
            )
        }
        return value
    }
}

extension Parameters {
    /// An optional whole-number query parameter within `range`; anything else is a 400 naming it.
    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let raw = get(name) else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw Problem.badRequest(
                field: name,
                "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(raw.prefix(40)))"
            )
        }
        return value
    }

    /// An optional `true`/`false` query parameter; anything else is a 400 naming it.
    func bool(_ name: String) throws -> Bool? {
        guard let raw = get(name) else { return nil }
        switch raw {
        case "true": return true
        case "false": return false
        default: throw Problem.badRequest(field: name, "must be true or false (got \(raw.prefix(40)))")
        }
    }

    /// An optional text query parameter of at most `maxCharacters`; longer is a 400 naming it.
    func text(_ name: String, maxCharacters: Int) throws -> String? {
        guard let raw = get(name) else { return nil }
        guard raw.count <= maxCharacters else {
            throw Problem.badRequest(field: name, "must be at most \(maxCharacters) characters")
        }
        return String(raw)
    }
}
