import Foundation
import Yams

@testable import TierdeskServer

/// The API contract written in `openapi.yaml`. It checks a response against its request: the status is declared for
/// the operation, the content type is one the response declares, and a JSON body matches the declared schema.
///
/// The YAML is parsed once, up front, into immutable ``Value`` trees, so the contract is `Sendable` and can be
/// shared by tests running in parallel. It covers the subset of JSON Schema (2020-12, as in OpenAPI 3.1) that the
/// document uses.
struct OpenAPIContract: Sendable {
    /// A JSON value. The YAML document and the response bodies are both read into this.
    indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    /// Why the document could not be read.
    struct ContractError: Error, CustomStringConvertible {
        var description: String
    }

    /// One path of the document: its segments (`nil` for a `{parameter}`) and its operations by upper-case method.
    struct Route: Sendable {
        var template: String
        var segments: [String?]
        var operations: [String: Value]
    }

    /// The contract of the document the server ships, read on first use; a failure is kept so each test reports it.
    static let shared: Result<OpenAPIContract, any Error> = Result { try OpenAPIContract(text: OpenAPIDocument.load()) }

    /// At most this many problems are listed for one response.
    static let maxViolations = 20

    /// The keys of a path item that are operations.
    static let methods: Set = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    let document: Value
    let routes: [Route]

    /// Reads a whole (bundled) OpenAPI document.
    init(text: String) throws {
        guard let node = try Yams.compose(yaml: text) else { throw ContractError(description: "the document is empty") }
        let document = try Value(yaml: node)
        guard case .object(let paths)? = document["paths"] else { throw ContractError(description: "no `paths`") }
        var routes: [Route] = []
        for (template, item) in paths {
            guard case .object(let fields)? = Self.resolving(item, in: document) else { continue }
            let operations = fields.filter { Self.methods.contains($0.key) }
            routes.append(
                Route(
                    template: template,
                    segments: Self.segments(of: template).map { $0.hasPrefix("{") && $0.hasSuffix("}") ? nil : $0 },
                    operations: Dictionary(uniqueKeysWithValues: operations.map { ($0.key.uppercased(), $0.value) })
                )
            )
        }
        self.document = document
        self.routes = routes
    }

    // MARK: Responses

    /// The ways a response departs from the document; empty when it conforms. Only paths under `/api/` are checked;
    /// an `/api/` request the document does not describe is a violation unless it was answered 404 or 405.
    func violations(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        let path = String(path.prefix { $0 != "?" && $0 != "#" })
        guard path.hasPrefix("/api/") else { return [] }
        let method = method.uppercased()
        var problems = check(method: method, path: path, status: status, contentType: contentType, body: body)
        if problems.count > Self.maxViolations {
            let hidden = problems.count - Self.maxViolations
            problems = Array(problems.prefix(Self.maxViolations)) + ["… and \(hidden) more"]
        }
        return problems.map { "\(method) \(path) \(status): \($0)" }
    }

    private func check(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let match = self.operation(method: method, path: path) else {
            if status == 404 || status == 405 { return [] }
            let methods = route(for: path, method: nil).map { $0.operations.keys.sorted().joined(separator: ", ") }
            return ["the document has no such operation" + (methods.map { " (the path takes \($0))" } ?? "")]
        }
        guard case .object(let responses)? = match.operation["responses"] else {
            return ["the operation declares no responses"]
        }
        let declared = responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"]
        guard let declared, let response = Self.resolving(declared, in: document) else {
            return ["status \(status) is not declared (declared: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        return check(response: response, contentType: contentType, body: body)
    }

    /// The operation for a concrete path (query already removed) and its template, e.g. `/api/v1/tickets/{reference}`.
    func operation(method: String, path: String) -> (template: String, operation: Value)? {
        guard let best = route(for: path, method: method.uppercased()),
            let found = best.operations[method.uppercased()]
        else { return nil }
        return (best.template, found)
    }

    /// The most specific route matching `path` (literal segments beat parameters, leftmost first) that takes
    /// `method`, or any method when `method` is nil.
    private func route(for path: String, method: String?) -> Route? {
        let parts = Self.segments(of: path).map { $0.removingPercentEncoding ?? $0 }
        let matches = routes.filter { route in
            route.segments.count == parts.count && (method.map { route.operations[$0] != nil } ?? true)
                && zip(route.segments, parts)
                    .allSatisfy { segment, part in
                        segment.map { $0 == part } ?? !part.isEmpty
                    }
        }
        return matches.max { lhs, rhs in
            lhs.segments.map { $0 == nil ? 0 : 1 }.lexicographicallyPrecedes(rhs.segments.map { $0 == nil ? 0 : 1 })
        }
    }

    /// Checks the content type and body against one declared response object.
    private func check(response: Value, contentType: String?, body: Data) -> [String] {
        guard case .object(let content)? = response["content"], !content.isEmpty else {
            return body.isEmpty ? [] : ["the response declares no content, but the body has \(body.count) bytes"]
        }
        let declared = content.keys.sorted().joined(separator: ", ")
        guard let contentType else { return ["no Content-Type; the response declares \(declared)"] }
        let essence = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let media = essence.lowercased()
        guard let match = content.first(where: { Self.mediaType($0.key.lowercased(), matches: media) }) else {
            return ["Content-Type \(essence) is not one of \(declared)"]
        }
        guard media == "application/json" || media.hasSuffix("+json") else { return [] }
        let value: Value
        do {
            value = try Value(json: JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]))
        } catch {
            return ["the body is not JSON (\(error))"]
        }
        guard let schema = match.value["schema"] else { return [] }
        return validate(value, against: schema, at: "$")
    }

    private static func mediaType(_ declared: String, matches actual: String) -> Bool {
        declared == actual || declared == "*/*"
            || (declared.hasSuffix("/*") && actual.hasPrefix(String(declared.dropLast())))
    }

    private static func segments(of path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }

    // MARK: References

    /// `value`, or the value its `$ref` (a local JSON pointer) names, followed through chains of references.
    static func resolving(_ value: Value, in document: Value) -> Value? {
        var current = value
        for _ in 0..<32 {
            guard case .string(let reference)? = current["$ref"] else { return current }
            guard let target = pointer(reference, in: document) else { return nil }
            current = target
        }
        return nil
    }

    /// The value a reference such as `#/components/schemas/Ticket` points at.
    static func pointer(_ reference: String, in document: Value) -> Value? {
        guard reference.hasPrefix("#") else { return nil }
        var current: Value? = document
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = (String(token).removingPercentEncoding ?? String(token))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let object)?: current = object[key]
            case .array(let array)?: current = Int(key).flatMap { array.indices.contains($0) ? array[$0] : nil }
            default: return nil
            }
        }
        return current
    }

    // MARK: JSON Schema

    /// Checks `value` against `schema`; each problem names its JSON path (`$.items[0].status`).
    /// Keywords: `$ref`, `type` (also a list, with `null`), `nullable`, `enum`, `const`, `allOf`, `anyOf`, `oneOf`,
    /// `not`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `pattern`,
    /// `format` (`date-time`, `date`, `uuid`, `email`, `uri`), `items`, `minItems`, `maxItems`, `uniqueItems`,
    /// `properties`, `required`, `additionalProperties`, `propertyNames`, `minProperties`, `maxProperties`.
    func validate(_ value: Value, against schema: Value, at path: String, depth: Int = 0) -> [String] {
        switch schema {
        case .bool(true): return []
        case .bool(false): return ["\(path): no value is allowed here"]
        case .object(let keywords):
            guard depth < 64 else { return ["\(path): the schema nests too deeply (a cycle of $ref?)"] }
            var problems: [String] = []
            if case .string(let reference)? = keywords["$ref"] {
                if let target = Self.pointer(reference, in: document) {
                    problems += validate(value, against: target, at: path, depth: depth + 1)
                } else {
                    problems.append("\(path): the document cannot resolve $ref \(reference)")
                }
            }
            problems += checkType(value, keywords, path) + checkEnum(value, keywords, path)
            problems += checkCombinators(value, keywords, path, depth)
            switch value {
            case .number(let number): problems += checkNumber(number, keywords, path)
            case .string(let string): problems += checkString(string, keywords, path)
            case .array(let items): problems += checkArray(items, keywords, path, depth)
            case .object(let object): problems += checkObject(object, keywords, path, depth)
            case .null, .bool(_): break
            }
            return problems
        default:
            return []
        }
    }

    private func checkType(_ value: Value, _ keywords: [String: Value], _ path: String) -> [String] {
        let types: [String]
        switch keywords["type"] {
        case .string(let type)?: types = [type]
        case .array(let list)?: types = list.compactMap(\.string)
        default: return []
        }
        if types.contains(where: value.hasType) || (value == .null && keywords["nullable"] == .bool(true)) { return [] }
        return ["\(path): \(value.brief) is not of type \(types.joined(separator: " or "))"]
    }

    private func checkEnum(_ value: Value, _ keywords: [String: Value], _ path: String) -> [String] {
        var problems: [String] = []
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            let list = allowed.prefix(12).map { $0.string ?? $0.brief }.joined(separator: ", ")
            problems.append("\(path): \(value.brief) is not one of \(list)\(allowed.count > 12 ? ", …" : "")")
        }
        if let constant = keywords["const"], constant != value {
            problems.append("\(path): \(value.brief) is not \(constant.brief)")
        }
        return problems
    }

    private func checkCombinators(
        _ value: Value,
        _ keywords: [String: Value],
        _ path: String,
        _ depth: Int
    ) -> [String] {
        func outcomes(_ key: String) -> [[String]]? {
            guard case .array(let schemas)? = keywords[key] else { return nil }
            return schemas.map { validate(value, against: $0, at: path, depth: depth + 1) }
        }
        func summary(_ results: [[String]]) -> String {
            results.enumerated().map { "#\($0.offset + 1): \($0.element.first ?? "ok")" }.joined(separator: "; ")
        }
        var problems = outcomes("allOf")?.flatMap { $0 } ?? []
        if let results = outcomes("anyOf"), !results.contains(where: \.isEmpty) {
            problems.append("\(path): matches none of the anyOf alternatives (\(summary(results)))")
        }
        if let results = outcomes("oneOf") {
            let passing = results.indices.filter { results[$0].isEmpty }.map { "#\($0 + 1)" }
            if passing.isEmpty {
                problems.append("\(path): matches none of the oneOf alternatives (\(summary(results)))")
            } else if passing.count > 1 {
                let list = passing.joined(separator: ", ")
                problems.append("\(path): matches oneOf alternatives \(list), not exactly one")
            }
        }
        if let negated = keywords["not"], validate(value, against: negated, at: path, depth: depth + 1).isEmpty {
            problems.append("\(path): \(value.brief) matches a schema it must not (not)")
        }
        return problems
    }

    private func checkNumber(_ number: Double, _ keywords: [String: Value], _ path: String) -> [String] {
        let text = Value.number(number).brief
        let bounds: [(String, (Double, Double) -> Bool, String)] = [
            ("minimum", { $0 >= $1 }, "less than"), ("maximum", { $0 <= $1 }, "more than"),
            ("exclusiveMinimum", { $0 > $1 }, "not more than"), ("exclusiveMaximum", { $0 < $1 }, "not less than"),
        ]
        return bounds.compactMap { key, holds, failure in
            guard let limit = keywords[key]?.number, !holds(number, limit) else { return nil }
            return "\(path): \(text) is \(failure) \(Value.number(limit).brief)"
        }
    }

    private func checkString(_ string: String, _ keywords: [String: Value], _ path: String) -> [String] {
        var problems: [String] = []
        let text = Value.string(string).brief
        let length = string.unicodeScalars.count  // JSON Schema counts code points
        if let minimum = keywords["minLength"]?.number, Double(length) < minimum {
            problems.append("\(path): \(text) is shorter than \(Int(minimum)) characters")
        }
        if let maximum = keywords["maxLength"]?.number, Double(length) > maximum {
            problems.append("\(path): \(text) is longer than \(Int(maximum)) characters")
        }
        if let pattern = keywords["pattern"]?.string, string.range(of: pattern, options: .regularExpression) == nil {
            problems.append("\(path): \(text) does not match \(pattern)")
        }
        if let format = keywords["format"]?.string, !Self.conforms(string, to: format) {
            problems.append("\(path): \(text) is not a valid \(format)")
        }
        return problems
    }

    /// Loose checks of the formats the document uses; unknown formats pass.
    private static func conforms(_ string: String, to format: String) -> Bool {
        let patterns = [
            "date-time": #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"#
                + #"([Zz]|[+-][0-9]{2}:[0-9]{2})$"#,
            "date": #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#,
            "email": #"^[^@\s]+@[^@\s]+$"#,
            "uri": #"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$"#,
        ]
        if format == "uuid" { return UUID(uuidString: string) != nil }
        guard let pattern = patterns[format] else { return true }
        return string.range(of: pattern, options: .regularExpression) != nil
    }

    private func checkArray(_ items: [Value], _ keywords: [String: Value], _ path: String, _ depth: Int) -> [String] {
        var problems: [String] = []
        if let minimum = keywords["minItems"]?.number, Double(items.count) < minimum {
            problems.append("\(path): has \(items.count) items, fewer than \(Int(minimum))")
        }
        if let maximum = keywords["maxItems"]?.number, Double(items.count) > maximum {
            problems.append("\(path): has \(items.count) items, more than \(Int(maximum))")
        }
        if keywords["uniqueItems"] == .bool(true),
            items.indices.contains(where: { index in items[..<index].contains(items[index]) })
        {
            problems.append("\(path): the items are not unique")
        }
        if let schema = keywords["items"] {
            for (index, item) in items.enumerated() {
                problems += validate(item, against: schema, at: "\(path)[\(index)]", depth: depth + 1)
            }
        }
        return problems
    }

    private func checkObject(
        _ object: [String: Value],
        _ keywords: [String: Value],
        _ path: String,
        _ depth: Int
    ) -> [String] {
        var problems: [String] = []
        let missing = (keywords["required"]?.array ?? []).compactMap(\.string).filter { object[$0] == nil }
        if !missing.isEmpty { problems.append("\(path): missing required \(missing.joined(separator: ", "))") }
        if let minimum = keywords["minProperties"]?.number, Double(object.count) < minimum {
            problems.append("\(path): has \(object.count) properties, fewer than \(Int(minimum))")
        }
        if let maximum = keywords["maxProperties"]?.number, Double(object.count) > maximum {
            problems.append("\(path): has \(object.count) properties, more than \(Int(maximum))")
        }
        let properties = keywords["properties"]?.object ?? [:]
        for key in object.keys.sorted() {
            let child = Self.member(key, of: path)
            if let names = keywords["propertyNames"] {
                problems += validate(.string(key), against: names, at: "\(path) property name", depth: depth + 1)
            }
            if let schema = properties[key] {
                problems += validate(object[key]!, against: schema, at: child, depth: depth + 1)
            } else if keywords["additionalProperties"] == .bool(false) {
                problems.append("\(path): property \(key) is not allowed (additionalProperties: false)")
            } else if let schema = keywords["additionalProperties"] {
                problems += validate(object[key]!, against: schema, at: child, depth: depth + 1)
            }
        }
        return problems
    }

    /// `$.name`, or `$["odd key"]` when the key is not a plain identifier.
    private static func member(_ key: String, of path: String) -> String {
        key.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
            ? "\(path).\(key)" : "\(path)[\(Value.string(key).brief)]"
    }
}

// MARK: - Values

extension OpenAPIContract.Value {
    subscript(key: String) -> Self? { object?[key] }

    var object: [String: Self]? { if case .object(let object) = self { object } else { nil } }
    var array: [Self]? { if case .array(let array) = self { array } else { nil } }
    var string: String? { if case .string(let string) = self { string } else { nil } }
    var number: Double? { if case .number(let number) = self { number } else { nil } }

    /// Whether this value is of a JSON Schema `type`; an `integer` is a number without a fractional part.
    func hasType(_ type: String) -> Bool {
        switch (type, self) {
        case ("null", .null), ("boolean", .bool(_)), ("number", .number(_)), ("string", .string(_)),
            ("array", .array(_)), ("object", .object(_)):
            true
        case ("integer", .number(let number)):
            number.isFinite && number.rounded() == number
        default:
            false
        }
    }

    /// A short rendering for messages: strings quoted and cut at 60 characters, containers by size.
    var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let bool): return String(bool)
        case .number(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let string):
            let cut = string.count > 60 ? String(string.prefix(57)) + "…" : string
            return "\"" + cut.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let items): return "an array of \(items.count) items"
        case .object(let object): return "an object with \(object.count) properties"
        }
    }

    /// Reads a value from `JSONSerialization` output. Swift `Bool`, `Int` and `Double` are taken as they are; an
    /// `NSNumber` is a boolean when its type is `c`: swift-corelibs-foundation makes `true`/`false` with
    /// `NSNumber(value: Bool)` (type `c`, like `Int8`, which the parser never produces), Darwin as `CFBoolean` (`c`).
    /// So `1` never passes for `true`, nor `true` for an integer.
    init(json: Any) throws {
        switch json {
        case is NSNull:
            self = .null
        case let string as String:
            self = .string(string)
        case let bool as Bool where Swift.type(of: json) == Bool.self:
            self = .bool(bool)
        case let int as Int where Swift.type(of: json) == Int.self:
            self = .number(Double(int))
        case let double as Double where Swift.type(of: json) == Double.self:
            self = .number(double)
        case let number as NSNumber:
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let object as [String: Any]:
            self = .object(try object.mapValues(Self.init(json:)))
        case let array as [Any]:
            self = .array(try array.map(Self.init(json:)))
        default:
            throw OpenAPIContract.ContractError(description: "unexpected JSON value of type \(Swift.type(of: json))")
        }
    }

    /// Reads a YAML node with the YAML 1.2 core schema: only `true`/`false` are booleans, and dates stay strings.
    /// (Yams' default resolver is YAML 1.1, where the key `on:` of a triage rule would become `true`.)
    init(yaml node: Yams.Node) throws {
        switch node {
        case .scalar(let scalar):
            self = scalar.style == .plain || scalar.style == .any ? Self.plain(scalar.string) : .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: Self] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw OpenAPIContract.ContractError(description: "a mapping key is not a scalar")
                }
                object[name.string] = try Self(yaml: value)
            }
            self = .object(object)
        case .sequence(let sequence):
            self = .array(try sequence.map(Self.init(yaml:)))
        case .alias:
            throw OpenAPIContract.ContractError(description: "unexpected YAML alias")
        }
    }

    /// A plain (unquoted) scalar: null, a boolean, a number or a string.
    private static func plain(_ text: String) -> Self {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default:
            let numeric = #"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$"#
            if text.range(of: numeric, options: .regularExpression) != nil, let number = Double(text) {
                return .number(number)
            }
            return .string(text)
        }
    }
}
