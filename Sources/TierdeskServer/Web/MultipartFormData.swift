import Foundation
import NIOCore
import TierdeskCore

/// A `multipart/form-data` body (RFC 7578), as a browser sends a form with files: its text fields and its
/// files. Parts are split on the boundary before anything inside them is read; a part's name and file name
/// come from its `Content-Disposition`, read with the same parameter rules as mail headers.
struct MultipartFormData {
    struct File {
        var field: String
        var filename: String
        var contentType: String?
        var data: Data
    }

    var fields: [(name: String, value: String)] = []
    var files: [File] = []

    /// Reads `body` split by `boundary`; a body that is not one (no boundary line, a part without its
    /// header block) is refused.
    init(_ body: ByteBuffer, boundary: String) throws {
        let bytes = Array(body.readableBytesView)
        let delimiter = Array("--\(boundary)".utf8)
        guard !boundary.isEmpty, boundary.utf8.count <= 70, var start = Self.find(delimiter, in: bytes, from: 0) else {
            throw Problem(.badRequest, "The form upload has no parts; reload the page and try again.")
        }
        let separator = Array("\r\n\r\n".utf8)
        let next = Array("\r\n--\(boundary)".utf8)
        while true {
            var index = start + delimiter.count
            // `--boundary--` closes the body.
            if bytes[index...].starts(with: [0x2D, 0x2D]) { return }
            guard bytes[index...].starts(with: [0x0D, 0x0A]) else { break }
            index += 2
            guard let headersEnd = Self.find(separator, in: bytes, from: index),
                let end = Self.delimiter(next, in: bytes, from: headersEnd + separator.count)
            else { break }
            let headers = String(decoding: bytes[index..<headersEnd], as: UTF8.self)
            let content = bytes[(headersEnd + separator.count)..<end]
            var disposition: [String: String] = [:]
            var contentType: String?
            for line in headers.split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased().trimmingWhitespace()
                let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
                if name == "content-disposition" { disposition = HeaderParameters.parse(value).1 }
                if name == "content-type" { contentType = value }
            }
            if let field = disposition["name"] {
                if let filename = disposition["filename"] {
                    // A file input left empty sends a part with an empty name and no bytes.
                    if !filename.isEmpty || !content.isEmpty {
                        files.append(
                            File(field: field, filename: filename, contentType: contentType, data: Data(content))
                        )
                    }
                } else {
                    fields.append((field, String(decoding: content, as: UTF8.self)))
                }
            }
            start = end + 2
        }
        throw Problem(.badRequest, "The form upload is cut short; reload the page and try again.")
    }

    /// The fields as an `application/x-www-form-urlencoded` text, for the forms' own decoders.
    var urlEncoded: String {
        fields.map { "\(Self.encoded($0.name))=\(Self.encoded($0.value))" }.joined(separator: "&")
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Where the next delimiter line (`\r\n--boundary`, then a line break or `--`) starts at or after
    /// `from`: text that only begins like the boundary is content.
    static func delimiter(_ next: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        var index = from
        while let hit = find(next, in: bytes, from: index) {
            let after = bytes[(hit + next.count)...]
            if after.starts(with: [0x0D, 0x0A]) || after.starts(with: [0x2D, 0x2D]) { return hit }
            index = hit + 1
        }
        return nil
    }

    /// Where `needle` first starts in `bytes` at or after `from`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            guard let hit = bytes[index...last].firstIndex(of: first) else { return nil }
            if bytes[hit..<(hit + needle.count)].elementsEqual(needle) { return hit }
            index = hit + 1
        }
        return nil
    }
}
