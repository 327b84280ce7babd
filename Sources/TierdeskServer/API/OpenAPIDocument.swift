import Foundation

/// The OpenAPI document served at `/api/v1/openapi.yaml`: `Resources/openapi.yaml` with the parts it
/// keeps in `Resources/openapi/` put back in place, so clients get one self-contained document whose
/// references all read `#/components/…`.
///
/// The target has no YAML parser, so this is a textual assembler that relies on the layout of our own
/// files (also described in `Resources/openapi/README.md`):
/// - Only the root includes, with a `$ref` that is the only key of its mapping, on its own line:
///   `<spaces>$ref: '<file>#/<key>'`. `<file>` is relative to the root (`openapi/paths/tickets.yaml`);
///   `<key>` is one top-level key of that file as a JSON pointer (`~` as `~0`, `/` as `~1`),
///   percent-encoded where a URI needs it (`{` as `%7B`, `}` as `%7D`). Every other `$ref` in the
///   root starts with `#`.
/// - An included file is a mapping: each key at column 0, unquoted, ending in `:` with nothing after
///   it; the entry's lines below are indented by 2 spaces or more (empty lines allowed). They replace
///   the `$ref` line, shifted right so that their 2 spaces become the `$ref`'s column.
/// - Every `$ref` in an included file points into the root's components, relative to the included file
///   (`$ref: '../../openapi.yaml#/components/…'` from `openapi/paths/tickets.yaml`) and becomes
///   `$ref: '#/components/…'`. Any other `$ref` there is an error: included files include nothing.
enum OpenAPIDocument {
    /// The root file, relative to `Resources`.
    static let rootFile = "openapi.yaml"

    struct LayoutError: Error, CustomStringConvertible {
        var description: String
    }

    /// The whole document as one YAML text.
    static func load() throws -> String {
        let root = splitLines(try ResourceFiles.text(rootFile))
        var included: [String: [String]] = [:]
        var output: [String] = []
        output.reserveCapacity(root.count * 8)
        for (index, line) in root.enumerated() {
            guard let range = line.range(of: "$ref:"), !line[range.upperBound...].hasPrefix(" '#") else {
                output.append(line)
                continue
            }
            let column = indentation(line)
            let place = "\(rootFile) line \(index + 1)"
            let ref = line.dropFirst(column)
            let next = root[(index + 1)...].first { !$0.isEmpty }
            guard ref.hasPrefix("$ref: '"), ref.hasSuffix("'"), ref.count > 8, column >= 2, index > 0,
                root[index - 1].hasSuffix(":"), indentation(root[index - 1]) == column - 2,
                next.map({ indentation($0) < column }) ?? true
            else {
                throw LayoutError(
                    description: "\(place): `\(ref)` must be `$ref: '<file>#/<key>'`, alone in its mapping"
                )
            }
            let value = String(ref.dropFirst(7).dropLast())
            let parts = value.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let file = String(parts[0])
            let components = file.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].hasPrefix("/"), !parts[1].dropFirst().contains("/"),
                file.hasSuffix(".yaml"), !components.contains(".."), !components.contains(""),
                let pointer = String(parts[1].dropFirst()).removingPercentEncoding
            else {
                throw LayoutError(
                    description: "\(place): `$ref: '\(value)'` must name a file and one top-level key, `<file>#/<key>`"
                )
            }
            let key = pointer.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if included[file] == nil {
                do {
                    included[file] = splitLines(try ResourceFiles.text(file))
                } catch {
                    throw LayoutError(description: "\(place): cannot read \(file) for `$ref: '\(value)'`: \(error)")
                }
            }
            let source = included[file] ?? []
            guard let start = source.firstIndex(of: key + ":") else {
                throw LayoutError(
                    description: "\(place): \(file) has no top-level key `\(key):` for `$ref: '\(value)'`"
                )
            }
            var entry = source[(start + 1)...].prefix { $0.isEmpty || $0.hasPrefix(" ") }
            while entry.last?.isEmpty == true { entry.removeLast() }
            guard !entry.isEmpty else {
                throw LayoutError(
                    description: "\(file) line \(start + 1): `\(key):` has no content (for `$ref: '\(value)'`)"
                )
            }
            let up = String(repeating: "../", count: components.count - 1) + rootFile + "#/components/"
            let shift = String(repeating: " ", count: column - 2)
            for (number, text) in zip(entry.indices, entry) {
                guard text.isEmpty || text.hasPrefix("  ") else {
                    throw LayoutError(
                        description: "\(file) line \(number + 1): indent the entries of `\(key):` by 2 spaces or more"
                    )
                }
                var text = text
                if text.contains("$ref") {
                    guard text.contains("$ref: '\(up)") else {
                        throw LayoutError(
                            description: "\(file) line \(number + 1): a `$ref` there must read `$ref: '\(up)…'`"
                        )
                    }
                    text = text.replacingOccurrences(of: "$ref: '\(up)", with: "$ref: '#/components/")
                }
                output.append(text.isEmpty ? text : shift + text)
            }
        }
        return output.joined(separator: "\n")
    }

    private static func splitLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private static func indentation(_ line: String) -> Int {
        line.prefix { $0 == " " }.count
    }
}
