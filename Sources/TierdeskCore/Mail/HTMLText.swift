import Foundation

/// Reduces HTML to plain text for tickets: scripts, styles and tags go; block ends become line breaks;
/// the common entities are decoded. The result is text, to be escaped again wherever it is shown.
public enum HTMLText {
    public static func plain(_ html: String) -> String {
        var output = ""
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[rest.endIndex...]
                break
            }
            let tag = rest[rest.index(after: open)..<close].lowercased()
            let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" }).first.map(String.init) ?? ""
            rest = rest[rest.index(after: close)...]
            if name == "script" || name == "style" || name == "head" {
                if let end = rest.range(of: "</\(name)", options: .caseInsensitive),
                    let after = rest[end.upperBound...].firstIndex(of: ">")
                {
                    rest = rest[rest.index(after: after)...]
                }
                continue
            }
            if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "blockquote", "table"].contains(name)
                || tag.hasPrefix("/p") || tag.hasPrefix("/div")
            {
                output += "\n"
            }
        }
        output += rest
        let entities = [
            "&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&amp;": "&",
        ]
        for (entity, character) in entities { output = output.replacingOccurrences(of: entity, with: character) }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        var collapsed: [String] = []
        for line in lines where !(line.isEmpty && (collapsed.last?.isEmpty ?? true)) { collapsed.append(line) }
        return collapsed.joined(separator: "\n").trimmingWhitespace()
    }
}
