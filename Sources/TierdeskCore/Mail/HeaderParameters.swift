import Foundation

/// Parameters of `Content-Type` and `Content-Disposition`, with RFC 2231 extended and continued values
/// (`filename*=UTF-8''na%C3%AFve.txt`, `filename*0*=…; filename*1*=…`).
public enum HeaderParameters {
    /// The lower-cased value before the first `;` and the parameters by lower-cased name.
    public static func parse(_ header: String) -> (String, [String: String]) {
        let pieces = split(header)
        let value = (pieces.first ?? "").trimmingWhitespace().lowercased()
        var plain: [String: String] = [:]
        var extended: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingWhitespace().lowercased()
            var text = piece[piece.index(after: equals)...].trimmingWhitespace()
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
                text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let section = Int(name[name.index(after: star)...]) {
                extended[String(name[..<star]), default: []].append((section, text, encoded))
            } else if encoded {
                extended[name, default: []].append((0, text, true))
            } else {
                plain[name] = text
            }
        }
        for (name, sections) in extended {
            var charset = "utf-8"
            var bytes: [UInt8] = []
            for (index, (_, text, encoded)) in sections.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var value = Substring(text)
                if encoded, index == 0 {
                    let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = parts[0].isEmpty ? charset : String(parts[0])
                        value = parts[2]
                    }
                }
                bytes += encoded ? percentDecoded(value) : Array(value.utf8)
            }
            plain[name] = Charsets.decode(bytes, charset: charset)
        }
        return (value, plain)
    }

    /// Splits on `;` outside quotes.
    static func split(_ header: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in header {
            if character == "\"" { quoted.toggle() }
            if character == ";", !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        return pieces
    }

    static func percentDecoded(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x25, let first = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                first != utf8.endIndex,
                let second = utf8.index(first, offsetBy: 1, limitedBy: utf8.endIndex), second != utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[first], utf8[second]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return bytes
    }
}
