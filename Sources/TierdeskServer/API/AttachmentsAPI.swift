import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `/api/v1/tickets/{reference}/attachments…`: files kept with a ticket and served safely.
struct AttachmentsAPI {
    let desk: TicketDesk

    func register(_ routes: APIRoutes) {
        routes.signedIn(.get, "/api/v1/tickets/{reference}/attachments") { _, context in
            let (ticket, list) = try await desk.attachments(try context.pathParameter("reference"), for: context.actor)
            return try JSONBody.response(list.map { AttachmentDTO($0, reference: ticket.reference) })
        }

        routes.signedIn(.post, "/api/v1/tickets/{reference}/attachments") { request, context in
            let reference = try context.pathParameter("reference")
            // Checked before the bytes are read: a hidden ticket takes no upload.
            _ = try await desk.uploadTarget(reference, by: context.actor)
            guard let rawName = request.uri.queryParameters.get("filename") else {
                throw Problem.badRequest(field: "filename", "is required as a query parameter")
            }
            let filename = try AttachmentFile.safeName(rawName)
            // A form upload would be stored with its boundaries as the file: the body must be the file itself.
            if let type = request.headers[.contentType]?.lowercased(),
                type.hasPrefix("multipart/") || type.hasPrefix("application/x-www-form-urlencoded")
            {
                throw Problem(
                    .unsupportedMediaType,
                    "Send the file itself as the body with its own Content-Type, not a form upload (got \(type.prefix(40)))."
                )
            }
            let body = try await request.collectBody(
                upTo: Limits.attachmentBytes,
                tooLarge: "Attachments may be at most \(Limits.attachmentBytes) bytes."
            )
            guard body.readableBytes > 0 else {
                throw Problem.badRequest(field: "body", "is empty; send the file's bytes")
            }
            let contentType = AttachmentFile.storedType(request.headers[.contentType])
            let (ticket, info) = try await desk.attach(
                Data(buffer: body),
                named: filename,
                contentType: contentType,
                to: reference,
                by: context.actor
            )
            return try JSONBody.response(AttachmentDTO(info, reference: ticket.reference), status: .created)
        }

        routes.signedIn(.get, "/api/v1/tickets/{reference}/attachments/{attachmentId}") { _, context in
            let id = try context.uuidParameter("attachmentId", what: "attachment")
            let (info, data) = try await desk.attachment(
                id,
                on: try context.pathParameter("reference"),
                for: context.actor
            )
            return AttachmentFile.response(info: info, data: data)
        }
    }
}

/// Naming, typing and serving of uploaded files.
enum AttachmentFile {
    /// Types shown inline; everything else is downloaded. SVG is not here: it can carry script.
    static let inlineTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    /// The cleaned name (``FileName/cleaned(_:)``), at most 255 characters.
    static func safeName(_ raw: String) throws -> String {
        guard let cleaned = FileName.cleaned(raw) else {
            throw Problem.badRequest(field: "filename", "must name a file, e.g. screenshot.png")
        }
        guard cleaned.count <= Limits.filenameCharacters else {
            throw Problem.badRequest(field: "filename", "must be at most \(Limits.filenameCharacters) characters")
        }
        return cleaned
    }

    /// The declared type if it is a plain `type/subtype`, else `application/octet-stream`.
    static func storedType(_ header: String?) -> String {
        guard let header else { return "application/octet-stream" }
        let type = header.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
        let allowed =
            type.utf8.count <= 100 && type.split(separator: "/").count == 2
            && type.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789/+.-".unicodeScalars.contains($0))
            }
        return allowed ? type : "application/octet-stream"
    }

    static func response(info: AttachmentInfo, data: Data) -> Response {
        var headers = HTTPFields()
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        if inlineTypes.contains(info.contentType) {
            headers[.contentType] = info.contentType
            headers[.contentDisposition] =
                "inline; filename=\"\(asciiName(info.filename))\"; filename*=UTF-8''\(percentEncoded(info.filename))"
        } else {
            headers[.contentType] = "application/octet-stream"
            headers[.contentDisposition] =
                "attachment; filename=\"\(asciiName(info.filename))\"; filename*=UTF-8''\(percentEncoded(info.filename))"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func asciiName(_ name: String) -> String {
        String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" }
        )
    }

    private static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
    }
}
