import Foundation
import HTTPTypes
import Hummingbird
import TierdeskCore

/// An RFC 9457 problem: every error the API returns, as `application/problem+json`.
struct Problem: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    var errors: [FieldError]
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ detail: String, errors: [FieldError] = [], title: String? = nil) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    static func unauthorized() -> Problem {
        var problem = Problem(.unauthorized, "Sign in, or send an API token as 'Authorization: Bearer <token>'.")
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }

    static func badRequest(field: String, _ message: String) -> Problem {
        Problem(
            .badRequest,
            "The request is malformed: \(field) \(message).",
            errors: [FieldError(field: field, message: message)]
        )
    }

    /// The problem that stands for a Core error.
    init(_ error: TierdeskError) {
        switch error {
        case .invalid(let failure):
            let summary = failure.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            self.init(.unprocessableContent, "The request has invalid fields: \(summary).", errors: failure.errors)
        case .forbidden(let reason):
            self.init(.forbidden, reason)
        case .notFound(let message):
            self.init(.notFound, message)
        case .conflict(let message):
            self.init(.conflict, message)
        case .unavailable(let message):
            self.init(.serviceUnavailable, message)
        }
    }

    private struct Body: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldError]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(title: title, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors)
        let data = try JSONEncoder().encode(body)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
