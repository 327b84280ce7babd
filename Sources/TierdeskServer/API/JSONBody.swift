import Foundation
import Hummingbird
import NIOCore
import TierdeskCore

/// Reading and writing JSON bodies with errors that name the offending field.
enum JSONBody {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be an RFC 3339 date-time such as 2026-03-06T21:30:00Z"
                )
            }
            return date
        }
        return decoder
    }()

    /// DTOs carry timestamps already formatted (``Timestamp``), so no date strategy is needed.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Decodes the request body as `T`; malformed bodies become a 400 problem naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.collectBody(
            upTo: Limits.jsonBytes,
            tooLarge: "The request body is larger than \(Limits.jsonBytes) bytes."
        )
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, "Send the body as application/json (got \(contentType.prefix(60))).")
        }
        guard buffer.readableBytes > 0 else {
            throw Problem(.badRequest, "The request body is empty; send a JSON object.")
        }
        let data = Data(buffer: buffer)
        guard String(validating: data, as: UTF8.self) != nil else {
            throw Problem(.badRequest, "The request body is not valid UTF-8.")
        }
        return try decode(T.self, from: data)
    }

    /// Decodes JSON text (a request body, or a document pasted into a console form) as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        switch JSONDuplicateKeys.first(in: data) {
        case .duplicate(let key)?:
            throw Problem.badRequest(field: key, "appears more than once in one object; send each key once")
        case .tooDeep?:
            throw Problem(
                .badRequest,
                "The request body nests objects and arrays more than \(JSONDuplicateKeys.maxDepth) levels deep."
            )
        case nil:
            break
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".")
                .description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .badRequest(field: field, "is required")
        case .typeMismatch(let type, let context):
            return .badRequest(field: path(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return .badRequest(field: path(context.codingPath), "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return Problem(.badRequest, "The request body is not valid JSON.")
            }
            return .badRequest(field: path(context.codingPath), context.debugDescription)
        @unknown default:
            return Problem(.badRequest, "The request body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Dictionary")
                || String(describing: type).contains("KeyedDecodingContainer")
                ? "an object"
                : String(describing: type).hasPrefix("Array") ? "an array" : "a \(String(describing: type))"
        }
    }

    /// A JSON response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}

extension KeyedDecodingContainer {
    /// An optional field that may be left out but not sent as null: `nil` when absent, an error naming the
    /// field (`must be …, not null`) when null.
    func decodeUnlessNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        return try decode(type, forKey: key)
    }

    /// For clearable fields: `nil` when absent, `.some(nil)` when null, `.some(value)` otherwise.
    func decodeClearable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(type, forKey: key))
    }
}
