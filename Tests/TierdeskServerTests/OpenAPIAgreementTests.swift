import Foundation
import Testing

@testable import TierdeskServer

@Suite struct OpenAPIAgreementTests {
    /// `GET /api/v1/tickets` lines from the document's `paths:` section.
    static func documentedRoutes(_ yaml: String) -> Set<String> {
        var routes: Set<String> = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let key = line.dropFirst(4).split(separator: ":").first.map(String.init) ?? ""
                if ["get", "post", "put", "patch", "delete"].contains(key) {
                    routes.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    @Test func documentAndRouterAgreeRouteForRoute() async throws {
        try await ServerFixture.with { f in
            let document = try OpenAPIDocument.load()
            let documented = Self.documentedRoutes(document)
            let registered = registeredAPIRoutes(f.components)
            #expect(Set(registered).count == registered.count, "a route is registered twice")
            #expect(documented.count > 20)
            #expect(documented.subtracting(registered).sorted() == [], "documented but not served")
            #expect(Set(registered).subtracting(documented).sorted() == [], "served but not documented")
            let served = try await f.call(.get, "/api/v1/openapi.yaml")
            #expect(served.status == .ok && served.text == document)
        }
    }
}
