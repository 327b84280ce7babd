import Foundation

/// Content-Transfer-Encoding and RFC 2047 encoded words.
public enum TransferEncodings {
    /// Base64, ignoring line breaks, padding and anything else outside the alphabet (as mail readers do);
    /// a trailing partial byte is dropped.
    public static func base64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value = base64Values[Int(byte)]
            if value == 0xFF { continue }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// Each byte's value in the base64 alphabet, 0xFF for bytes outside it.
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Quoted-printable (RFC 2045); `underscoreIsSpace` for the Q encoding of headers.
    public static func quotedPrintable(_ bytes: some Collection<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        while index < input.count {
            let byte = input[index]
            if byte == 0x3D {
                // Soft line break: "=" before CRLF or LF.
                if index + 1 < input.count, input[index + 1] == 0x0A {
                    index += 2
                    continue
                }
                if index + 2 < input.count, input[index + 1] == 0x0D, input[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                output.append(byte)
            } else if underscoreIsSpace, byte == 0x5F {
                output.append(0x20)
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    /// Decodes RFC 2047 encoded words (`=?utf-8?Q?...?=`, `=?iso-8859-1?B?...?=`) in a header value; white
    /// space between two encoded words goes away. Raw 8-bit bytes in headers are read as UTF-8, else
    /// Windows-1252.
    public static func decodeHeader(_ raw: [UInt8]) -> String {
        decodeWords(headerText(raw))
    }

    /// A header value as written, encoded words left as they are: raw 8-bit bytes are read as UTF-8,
    /// else Windows-1252. Structured headers (addresses) are parsed from this before any word is decoded.
    public static func headerText(_ raw: [UInt8]) -> String {
        String(validating: Data(raw), as: UTF8.self) ?? Charsets.decode(raw, charset: "windows-1252")
    }

    /// Decodes the RFC 2047 encoded words in a text; white space between two encoded words goes away.
    public static func decodeWords(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var rest = Substring(text)
        var lastWasEncoded = false
        var pendingSpace = ""
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let parts = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[3].hasPrefix("="),
                let encoding = parts[1].first.map({ $0.uppercased() }), encoding == "B" || encoding == "Q"
            else {
                result += pendingSpace + before + "=?"
                pendingSpace = ""
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            if lastWasEncoded, before.allSatisfy(\.isWhitespace) {
                // Encoded words separated only by white space join up.
            } else {
                result += pendingSpace + before
            }
            let charset = parts[0].split(separator: "*").first.map(String.init) ?? "utf-8"
            let payload = Array(parts[2].utf8)
            let bytes = encoding == "B" ? base64(payload) : quotedPrintable(payload, underscoreIsSpace: true)
            result += Charsets.decode(bytes, charset: charset)
            rest = parts[3].dropFirst()
            lastWasEncoded = true
            pendingSpace = ""
        }
        return result + pendingSpace + rest
    }
}
