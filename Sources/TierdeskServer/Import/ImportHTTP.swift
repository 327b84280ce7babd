import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TierdeskCore

/// Reads another desk's HTTP API on the process's shared client (nothing to shut down): one authorisation
/// header, JSON or raw answers, a few retries when the server is busy or a connection drops. Error messages
/// name the path, never the token.
struct ImportHTTP: Sendable {
    let base: URL
    private let authorization: String
    /// The largest answer read (an attachment, a page of a list).
    static let maxAnswerBytes = 64 * 1024 * 1024
    static let attempts = 3

    init(base: URL, authorization: String) {
        self.base = base
        self.authorization = authorization
    }

    /// The URL of `path` (relative to the base, which keeps its own path) with `query`.
    func url(_ path: String, query: [(String, String)] = []) -> String {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        let prefix = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = prefix + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!.absoluteString
    }

    func json(_ path: String, query: [(String, String)] = []) async throws -> JSONValue {
        try await json(url: url(path, query: query), shown: path)
    }

    /// The JSON at an absolute `url` the source gave; `shown` names it in errors.
    func json(url: String, shown: String) async throws -> JSONValue {
        let data = try await data(url, shown: shown)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ImportSourceError("\(shown) did not answer with JSON")
        }
    }

    /// The body at `url` (absolute); `shown` names it in errors.
    func data(_ url: String, shown: String) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json, */*")
        var attempt = 1
        while true {
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
                let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
                switch response.status.code {
                case 200..<300:
                    return Data(buffer: body)
                case 401, 403:
                    throw ImportSourceError(
                        "\(shown): \(response.status.code) \(response.status.reasonPhrase) (check the token and its rights)"
                    )
                case 500..<600 where attempt < Self.attempts:
                    break
                default:
                    throw ImportSourceError("\(shown): \(response.status.code) \(response.status.reasonPhrase)")
                }
            } catch let error as ImportSourceError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard attempt < Self.attempts else { throw ImportSourceError("\(shown): \(error)") }
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(200 * attempt))
        }
    }
}

extension JSONValue {
    /// A member of an object.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// A string, or a number or boolean as text; nil for null, arrays and objects.
    var string: String? {
        switch self {
        case .string(let text): text
        case .number(let number):
            number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    /// A non-empty string, trimmed.
    var nonEmpty: String? {
        guard let string = string?.trimmingWhitespace(), !string.isEmpty else { return nil }
        return string
    }

    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// True for `true`, `1` and non-empty strings other than `0` (RT writes flags as "1" or "").
    var flag: Bool {
        switch self {
        case .bool(let flag): flag
        case .number(let number): number != 0
        case .string(let text): !text.isEmpty && text != "0"
        default: false
        }
    }
}
