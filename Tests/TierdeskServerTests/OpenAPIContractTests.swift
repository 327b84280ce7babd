import Foundation
import Testing

@testable import TierdeskServer

/// The response check every server test runs (see ``ServerFixture/checkContract(_:_:_:sourceLocation:)``)
/// catches answers the document does not promise.
struct OpenAPIContractTests {
    let contract = try! OpenAPIContract.shared.get()

    func violations(_ method: String, _ path: String, _ status: Int, _ type: String?, _ json: String) -> [String] {
        contract.violations(method: method, path: path, status: status, contentType: type, body: Data(json.utf8))
    }

    @Test func aConformingAnswerPasses() {
        let problem = #"{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No ticket TD-9."}"#
        #expect(violations("GET", "/api/v1/tickets/TD-9", 404, "application/problem+json", problem).isEmpty)
        #expect(violations("GET", "/console", 200, "text/html", "<html>").isEmpty)
    }

    @Test func driftIsReported() {
        // A status the operation does not declare.
        #expect(!violations("GET", "/api/v1/tickets/TD-9", 418, "application/json", "{}").isEmpty)
        // A content type it does not declare.
        #expect(!violations("GET", "/api/v1/notifications", 200, "text/plain", "[]").isEmpty)
        // A body without the schema's required fields, or with a value outside an enum.
        #expect(!violations("GET", "/api/v1/tickets/TD-9", 200, "application/json", #"{"reference": "TD-9"}"#).isEmpty)
        let wrongStatus = violations(
            "GET",
            "/api/v1/notifications",
            200,
            "application/json",
            #"[{"id": "not-a-uuid", "kind": "nonsense"}]"#
        )
        #expect(wrongStatus.contains { $0.contains("$[0]") })
        // An API path the document does not describe.
        #expect(!violations("GET", "/api/v1/undocumented", 200, "application/json", "{}").isEmpty)
    }
}
