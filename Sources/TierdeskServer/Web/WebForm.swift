import Foundation
import Hummingbird
import TierdeskCore

/// Reading HTML forms: size-bounded, CSRF-checked against the session.
enum WebForm {
    /// Decodes an `application/x-www-form-urlencoded` body.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.collectBody(
            upTo: Limits.jsonBytes,
            tooLarge: "The form is larger than \(Limits.jsonBytes) bytes."
        )
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem(.badRequest, "The form is not valid UTF-8.")
        }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: text)
        } catch {
            throw Problem(.badRequest, "The form is incomplete; reload the page and try again.")
        }
    }

    /// The signed-in identity whose CSRF token matches the form's `_csrf`.
    static func checkedIdentity(_ context: TierdeskRequestContext, token: String) throws -> Identity {
        guard let identity = context.identity, case .session(_, let csrf) = identity.proof else {
            throw WebRedirect(location: "/login")
        }
        guard Secrets.constantTimeEqual(token, csrf) else {
            throw Problem(
                .forbidden,
                "This form has expired or did not come from Tierdesk. Reload the page and try again."
            )
        }
        return identity
    }
}

extension WebForm {
    /// Runs a form's change. On success it redirects (303) to the address `change` returns; a mistake the
    /// user can mend (invalid input, not allowed, a stale version) shows the form's page again with the
    /// message and its status; "not found" stays a not-found page.
    static func submit(_ change: () async throws -> String, orShow page: (Problem) async throws -> Response)
        async throws -> Response
    {
        do {
            return .redirect(to: try await change(), type: .normal)
        } catch let error as TierdeskError {
            if case .notFound = error { throw error }
            return try await page(Problem(error))
        }
    }
}

/// Ends a request with a redirect (303 See Other).
struct WebRedirect: Error, HTTPResponseError {
    var location: String
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .redirect(to: location, type: .normal)
    }
}

/// A form with only a CSRF token.
struct CSRFForm: Decodable {
    var csrf: String
    enum CodingKeys: String, CodingKey { case csrf = "_csrf" }
}

/// A form with a text body (reply, note).
struct BodyForm: Decodable {
    var csrf: String
    var body: String
    enum CodingKeys: String, CodingKey { case csrf = "_csrf", body }
}
