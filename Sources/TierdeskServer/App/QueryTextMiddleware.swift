import Foundation
import Hummingbird
import TierdeskCore

/// Reads query strings as HTML forms write them — `+` is a space (`q=label+printer` searches for "label
/// printer"; a literal plus comes as `%2B`) — and refuses a query parameter whose name or value holds a
/// control character (a NUL in search text matched everything on one engine and failed on the other): 400,
/// naming the parameter. Runs before any handler reads the query, so no handler has to remember.
struct QueryTextMiddleware: RouterMiddleware {
    typealias Context = TierdeskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var request = request
        if let path = request.head.path, let mark = path.firstIndex(of: "?"), path[mark...].contains("+") {
            var head = request.head
            head.path = String(path[..<mark]) + path[mark...].replacingOccurrences(of: "+", with: "%20")
            request = Request(head: head, body: request.body)
        }
        for (name, value) in request.uri.queryParameters {
            if let offending = Self.controlCharacter(in: name) ?? Self.controlCharacter(in: value) {
                let field = String(
                    String(name).unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(40)
                )
                throw Problem.badRequest(
                    field: field.isEmpty ? "query" : field,
                    "must not contain control characters (found U+\(String(format: "%04X", offending.value)))"
                )
            }
        }
        return try await next(request, context)
    }

    static func controlCharacter(in text: Substring) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.properties.generalCategory == .control }
    }
}
