import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The Mustache templates shipped in the bundle, loaded once at start-up.
enum Templates {
    static func load() async throws -> MustacheLibrary {
        let library = try await MustacheLibrary(directory: try ResourceFiles.url("Templates").path)
        guard library.getTemplate(named: "login") != nil else { throw TemplateError.missing("login") }
        return library
    }

    /// Renders `view` with `template` into an HTML response.
    static func page(_ library: MustacheLibrary, _ template: String, _ view: Any, status: HTTPResponse.Status = .ok)
        throws -> Response
    {
        guard let html = library.render(view, withTemplate: template) else { throw TemplateError.missing(template) }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"
        headers[.xContentTypeOptions] = "nosniff"
        // Addresses may hold secrets (an invitation's link): other sites never learn them as a referrer.
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    enum TemplateError: Error {
        case missing(String)
    }
}
