import Foundation
import Hummingbird
import TierdeskCore

/// The API document and the caller's own record.
enum MetaAPI {
    static func register(_ routes: APIRoutes, _ environment: TierdeskEnvironment) {
        let document = environment.openAPIDocument
        routes.on(.get, "/api/v1/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        routes.on(.get, "/api/v1/me") { _, context in
            try JSONBody.response(PersonDTO(try context.requireIdentity().person))
        }
    }
}

/// The OpenAPI document shipped with the server.
enum OpenAPIDocument {
    static func load() throws -> String {
        try ResourceFiles.text("openapi.yaml")
    }
}
