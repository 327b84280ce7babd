import Foundation
import Hummingbird
import TierdeskCore

/// The API document and the caller's own record.
struct MetaAPI {
    let openAPIDocument: String

    func register(_ routes: APIRoutes) {
        let document = openAPIDocument
        routes.on(.get, "/api/v1/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        routes.signedIn(.get, "/api/v1/me") { _, context in
            try JSONBody.response(PersonDTO(context.identity.person))
        }
    }
}
