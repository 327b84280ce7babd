import Foundation
import NIOCore
import Testing

@testable import TierdeskServer

/// Reading the browser's `multipart/form-data`: parts split on the boundary before anything in them is
/// read, files apart from fields, and a body that is not one refused.
struct MultipartFormDataTests {
    static let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    static func body(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func fieldsAndFilesAreReadApart() throws {
        let form = try MultipartFormData(
            Self.body(
                """
                --\(Self.boundary)
                Content-Disposition: form-data; name="_csrf"

                token-1
                --\(Self.boundary)
                Content-Disposition: form-data; name="body"

                Two lines,
                and a -- dash
                --\(Self.boundary)
                Content-Disposition: form-data; name="files"; filename="scanner.log"
                Content-Type: text/plain

                ERROR M7
                --\(Self.boundary)-not-the-end
                --\(Self.boundary)
                Content-Disposition: form-data; name="files"; filename=""
                Content-Type: application/octet-stream


                --\(Self.boundary)--

                """
            ),
            boundary: Self.boundary
        )
        #expect(form.fields.map(\.name) == ["_csrf", "body"])
        #expect(form.fields.map(\.value) == ["token-1", "Two lines,\r\nand a -- dash"])
        // The file input left empty is no file; a line that only starts like the boundary is content.
        #expect(form.files.count == 1)
        #expect(form.files.first?.filename == "scanner.log" && form.files.first?.contentType == "text/plain")
        #expect(
            form.files.first.map { String(decoding: $0.data, as: UTF8.self) }
                == "ERROR M7\r\n--\(Self.boundary)-not-the-end"
        )
        #expect(form.urlEncoded == "%5Fcsrf=token%2D1&body=Two%20lines%2C%0D%0Aand%20a%20%2D%2D%20dash")
    }

    @Test func aBodyThatIsNotAFormUploadIsRefused() {
        for (text, boundary) in [
            ("name=value", Self.boundary),
            ("--\(Self.boundary)\nContent-Disposition: form-data; name=\"a\"\n\nno end", Self.boundary),
            ("--\(Self.boundary)\nContent-Disposition: form-data; name=\"a\"", Self.boundary),
            ("anything", ""),
        ] {
            #expect(throws: Problem.self, "\(text)") { try MultipartFormData(Self.body(text), boundary: boundary) }
        }
    }
}
