import NIOConcurrencyHelpers

/// The API's paths and the methods each takes, filled while routes are registered and read when a
/// request finds no route: a known path with another method is 405 with `Allow`, not 404.
final class APIRouteTable: Sendable {
    private let routes = NIOLockedValueBox<[(method: String, path: String, segments: [Substring])]>([])

    func add(_ method: String, _ path: String) {
        routes.withLockedValue { $0.append((method, path, path.split(separator: "/"))) }
    }

    /// Every route in registration order, in the OpenAPI spelling (`GET /api/v1/tickets/{reference}`).
    var registered: [String] {
        routes.withLockedValue { $0.map { "\($0.method) \($0.path)" } }
    }

    /// The methods registered for a concrete path (`/api/v1/tickets/TD-1001`), sorted; empty if none.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let methods = routes.withLockedValue { routes in
            routes.filter { Self.matches($0.segments, segments) }.map(\.method)
        }
        return Set(methods).sorted()
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        guard template.count == path.count else { return false }
        return zip(template, path)
            .allSatisfy { pattern, segment in
                (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
            }
    }
}
