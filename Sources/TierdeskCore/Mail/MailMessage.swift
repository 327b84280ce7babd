import Foundation

/// A mail address with its display name.
public struct MailAddress: Sendable, Equatable, Codable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses an address list such as `"Smith, John" <john@example.com>, jane@example.com` from a header
    /// value as written. The structure (commas, angle brackets, quotes) is read first; RFC 2047 encoded
    /// words are decoded afterwards and only inside display names, so an encoded name that decodes to
    /// `victim@example.com,` stays a name and never becomes an address.
    public static func list(_ text: String) -> [MailAddress] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var angle = false
        for character in text {
            switch character {
            case "\"": quoted.toggle()
            case "<" where !quoted: angle = true
            case ">" where !quoted: angle = false
            case "," where !quoted && !angle:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        return items.compactMap(parse)
    }

    static func parse(_ item: String) -> MailAddress? {
        let trimmed = item.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
            let address = trimmed[trimmed.index(after: open)..<close].trimmingWhitespace()
            var name = trimmed[..<open].trimmingWhitespace()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            let decoded = TransferEncodings.decodeWords(name).trimmingWhitespace()
            return addrSpec(address).map { MailAddress(name: decoded.isEmpty ? nil : decoded, address: $0) }
        }
        // No angle brackets: the word with an @ is the address.
        guard let word = trimmed.split(separator: " ").first(where: { $0.contains("@") }) else { return nil }
        return addrSpec(word.trimmingCharacters(in: CharacterSet(charactersIn: "<>\"'")))
            .map { MailAddress(name: nil, address: $0) }
    }

    /// An address as found by the structure. Some mailers (wrongly) encode the local part
    /// (`=?utf-8?Q?agent?=@example.com`); that is decoded only when it yields a plain local part, so no
    /// encoded word can smuggle in another `@`, a comma, brackets or spaces.
    static func addrSpec(_ text: String) -> String? {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let domain = text[text.index(after: at)...]
        var local = String(text[..<at])
        guard !domain.isEmpty, !domain.contains("=?") else { return nil }
        if local.contains("=?") {
            local = TransferEncodings.decodeWords(local)
            let forbidden = CharacterSet(charactersIn: "@,<>\"()[]\\;:").union(.whitespacesAndNewlines)
                .union(.controlCharacters)
            guard !local.isEmpty, local.unicodeScalars.allSatisfy({ !forbidden.contains($0) }) else { return nil }
        }
        return local + "@" + domain
    }
}

/// A file carried by a message.
public struct MailAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: [UInt8]
}

/// Why a message cannot be taken.
public struct MailError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// An RFC 5322 message, parsed: the headers that matter, the body as text (the plain-text part preferred,
/// else the HTML part), the HTML part if any, and the attachments. Every part's transfer encoding and
/// charset is decoded; invalid bytes become U+FFFD.
public struct MailMessage: Sendable {
    /// Limits against oversize or malicious mail. Crossing the size, header or part limit refuses the
    /// message as a whole; parts nested deeper than `depth` are kept unparsed as one `.eml` file each.
    public struct Limits: Sendable {
        public var bytes = 25 * 1024 * 1024
        public var headers = 500
        public var parts = 200
        public var depth = 20
        public init() {}
    }

    /// Headers in order, names as written; values raw (unfolded), decoded on request.
    public var headers: [(name: String, value: [UInt8])]
    public var subject: String
    public var from: MailAddress?
    public var to: [MailAddress]
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var text: String?
    public var html: String?
    public var attachments: [MailAttachment]

    /// The decoded value of the first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            .map { TransferEncodings.decodeHeader($0.value) }
    }

    /// The decoded values of every header with this name, in order: a header may be repeated, and checks
    /// that protect something read them all.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            .map { TransferEncodings.decodeHeader($0.value) }
    }

    /// The value of the first header with this name as written, encoded words left in place.
    func rawHeader(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            .map { TransferEncodings.headerText($0.value) }
    }

    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(MailError) -> MailMessage {
        guard bytes.count <= limits.bytes else {
            throw MailError(description: "The message is \(bytes.count) bytes; at most \(limits.bytes) are accepted.")
        }
        var input = bytes[...]
        // An mbox "From " line, or a forwarding banner such as "---- Original email message ----", may come first.
        while let end = input.firstIndex(of: 0x0A), let first = input.first, first != 0x0D, first != 0x0A,
            !input[..<end].contains(0x3A) || input.starts(with: Array("From ".utf8))
        {
            input = input[(end + 1)...]
        }
        var state = ParseState(limits: limits)
        let root = try state.part(input, depth: 0)
        var message = MailMessage(
            headers: root.headers,
            subject: "",
            from: nil,
            to: [],
            messageID: nil,
            inReplyTo: [],
            references: [],
            text: nil,
            html: nil,
            attachments: []
        )
        message.subject =
            message.header("Subject")
            .map { $0.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "") } ?? ""
        message.from = message.rawHeader("From").flatMap { MailAddress.list($0).first }
        message.to = message.rawHeader("To").map(MailAddress.list) ?? []
        message.messageID = message.header("Message-ID").flatMap { Self.ids($0).first }
        message.inReplyTo = message.header("In-Reply-To").map(Self.ids) ?? []
        message.references = message.header("References").map(Self.ids) ?? []
        message.text = state.text
        message.html = state.html
        message.attachments = state.attachments
        if message.text == nil, let html = state.html { message.text = HTMLText.plain(html) }
        return message
    }

    /// The `<…>` message ids in a header value.
    static func ids(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingWhitespace()
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// Walks the MIME tree, collecting the body texts and the attachments.
    struct ParseState {
        let limits: Limits
        var parts = 0
        var text: String?
        var html: String?
        var attachments: [MailAttachment] = []

        init(limits: Limits) {
            self.limits = limits
        }

        struct Part {
            var headers: [(name: String, value: [UInt8])]
        }

        mutating func part(_ bytes: ArraySlice<UInt8>, depth: Int) throws(MailError) -> Part {
            parts += 1
            guard parts <= limits.parts else {
                throw MailError(description: "The message has more than \(limits.parts) parts.")
            }
            guard depth <= limits.depth else {
                // A legal but deeply nested message is not refused: what lies deeper is kept as it came.
                attachments.append(
                    MailAttachment(filename: "Nested part.eml", contentType: "message/rfc822", data: Array(bytes))
                )
                return Part(headers: [])
            }
            let (headers, body) = try Self.split(bytes, limit: limits.headers)
            func value(_ name: String) -> String? {
                headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                    .map { TransferEncodings.decodeHeader($0.value) }
            }
            let (type, parameters) = HeaderParameters.parse(value("Content-Type") ?? "text/plain")
            let (disposition, dispositionParameters) = HeaderParameters.parse(value("Content-Disposition") ?? "")
            if type.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty {
                let children = Self.multipart(body, boundary: Array(boundary.utf8))
                // A multipart without its boundary (truncated or broken mail) is read as plain text below.
                if !children.isEmpty {
                    // In an alternative the plain text comes first and wins; the HTML sibling is kept as the HTML part.
                    for child in children { _ = try part(child, depth: depth + 1) }
                    return Part(headers: headers)
                }
            }
            let encoding = value("Content-Transfer-Encoding")?.trimmingWhitespace().lowercased() ?? "7bit"
            let decoded: [UInt8] =
                switch encoding {
                case "base64": TransferEncodings.base64(body)
                case "quoted-printable": TransferEncodings.quotedPrintable(body)
                default: Array(body)
                }
            let filename = dispositionParameters["filename"] ?? parameters["name"]
            let attached =
                disposition == "attachment" || (filename != nil && !type.hasPrefix("text/"))
                || type.hasPrefix("message/")
            if !attached, type == "text/plain", text == nil {
                text = Charsets.decode(decoded, charset: parameters["charset"])
            } else if !attached, type == "text/html", html == nil {
                html = Charsets.decode(decoded, charset: parameters["charset"])
            } else if !attached, type.hasPrefix("text/") || type.hasPrefix("multipart/"), filename == nil, text == nil,
                html == nil
            {
                text = Charsets.decode(decoded, charset: parameters["charset"])
            } else {
                let name = Self.safeName(filename ?? Self.defaultName(type: type, body: decoded))
                attachments.append(MailAttachment(filename: name, contentType: type, data: decoded))
            }
            return Part(headers: headers)
        }

        /// Splits a part into its unfolded headers and its body.
        static func split(_ bytes: ArraySlice<UInt8>, limit: Int) throws(MailError) -> (
            [(name: String, value: [UInt8])], ArraySlice<UInt8>
        ) {
            var headers: [(name: String, value: [UInt8])] = []
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
                var line = bytes[index..<end]
                if line.last == 0x0D { line = line.dropLast() }
                let next = end < bytes.endIndex ? end + 1 : end
                if line.isEmpty { return (headers, bytes[next...]) }
                if let first = line.first, first == 0x20 || first == 0x09, !headers.isEmpty {
                    headers[headers.count - 1].value += [0x20] + line.drop(while: { $0 == 0x20 || $0 == 0x09 })
                } else if let colon = line.firstIndex(of: 0x3A) {
                    guard headers.count < limit else {
                        throw MailError(description: "The message has more than \(limit) header lines.")
                    }
                    let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingWhitespace()
                    headers.append((name, Array(line[(colon + 1)...].drop(while: { $0 == 0x20 || $0 == 0x09 }))))
                } else if headers.isEmpty {
                    // No header block at all: everything is body.
                    return ([], bytes)
                }
                index = next
            }
            return (headers, bytes[bytes.endIndex...])
        }

        /// The parts between `--boundary` lines, up to `--boundary--`.
        static func multipart(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
            let delimiter = [0x2D, 0x2D] + boundary
            var parts: [ArraySlice<UInt8>] = []
            var start: Int?
            var index = body.startIndex
            while index < body.endIndex {
                let end = body[index...].firstIndex(of: 0x0A) ?? body.endIndex
                var line = body[index..<end]
                if line.last == 0x0D { line = line.dropLast() }
                if line.starts(with: delimiter) {
                    let rest = line.dropFirst(delimiter.count)
                    if let open = start {
                        // The line break before the delimiter belongs to the delimiter.
                        var stop = index
                        if stop > open, body[stop - 1] == 0x0A { stop -= 1 }
                        if stop > open, body[stop - 1] == 0x0D { stop -= 1 }
                        parts.append(body[open..<stop])
                    }
                    if rest.starts(with: [0x2D, 0x2D]) { return parts }
                    start = end < body.endIndex ? end + 1 : end
                }
                index = end < body.endIndex ? end + 1 : end
            }
            if let open = start, open < body.endIndex { parts.append(body[open...]) }
            return parts
        }

        /// A file name cleaned by the one rule for outside names, at most 255 characters.
        static func safeName(_ name: String) -> String {
            FileName.cleaned(name).map { String($0.prefix(255)) } ?? "attachment"
        }

        /// A name for a part that has none: a forwarded message is named after its subject, a delivery
        /// status is a report, anything else is `file` (as mail clients name such parts).
        static func defaultName(type: String, body: [UInt8]) -> String {
            switch type {
            case "message/rfc822":
                let subject =
                    (try? split(body[...], limit: 500).0
                    .first { $0.name.caseInsensitiveCompare("Subject") == .orderedSame })
                    .flatMap { $0 }.map { TransferEncodings.decodeHeader($0.value).trimmingWhitespace() } ?? ""
                return (subject.isEmpty ? "Mail" : subject) + ".eml"
            case "message/delivery-status": return "Delivery report.txt"
            case "text/calendar": return "calendar.ics"
            default: return "file"
            }
        }
    }
}
