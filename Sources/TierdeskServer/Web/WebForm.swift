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

    /// The most files one form may carry.
    static let maxFiles = 5

    /// Decodes a form that may carry files: `multipart/form-data` (its fields decoded like a plain form, its
    /// files returned; all together within one attachment's size and a form's), or a plain form without
    /// files. ``checkedFiles(_:)`` checks the files themselves.
    static func decodeWithFiles<T: Decodable>(_ type: T.Type, from request: Request) async throws
        -> (T, [MultipartFormData.File])
    {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            return (try await decode(type, from: request), [])
        }
        let limit = Limits.attachmentBytes + Limits.jsonBytes
        let buffer = try await request.collectBody(
            upTo: limit,
            tooLarge: "The files are larger than \(Limits.attachmentBytes / 1024 / 1024) MiB together."
        )
        let form = try MultipartFormData(buffer, boundary: HeaderParameters.parse(contentType).1["boundary"] ?? "")
        do {
            return (try URLEncodedFormDecoder().decode(T.self, from: form.urlEncoded), form.files)
        } catch {
            throw Problem(.badRequest, "The form is incomplete; reload the page and try again.")
        }
    }

    /// The files a form carried with their cleaned names and stored types, once each is acceptable: at most
    /// ``maxFiles``, none empty, none larger than ``Limits/attachmentBytes``, each with a name.
    /// A file a form carried, once checked: its cleaned name, stored type and bytes.
    struct CheckedFile {
        var name: String
        var type: String
        var data: Data
    }

    static func checkedFiles(_ files: [MultipartFormData.File]) throws -> [CheckedFile] {
        guard files.count <= maxFiles else {
            throw TierdeskError.invalid(field: "files", "attach at most \(maxFiles) files at once")
        }
        return try files.map { file in
            guard let name = FileName.cleaned(file.filename), name.count <= Limits.filenameCharacters else {
                throw TierdeskError.invalid(field: "files", "each file needs a name such as screenshot.png")
            }
            guard !file.data.isEmpty else { throw TierdeskError.invalid(field: "files", "the file \(name) is empty") }
            guard file.data.count <= Limits.attachmentBytes else {
                throw TierdeskError.invalid(
                    field: "files",
                    "the file \(name) is larger than \(Limits.attachmentBytes / 1024 / 1024) MiB"
                )
            }
            return CheckedFile(name: name, type: AttachmentFile.storedType(file.contentType), data: file.data)
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
