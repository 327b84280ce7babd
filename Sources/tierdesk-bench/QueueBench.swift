import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TierdeskCore
import TierdeskServer
import TierdeskStore

/// Times the queues over real HTTP on a seeded data set: the console's L1 queue and the API's list of new
/// L1 tickets, the first page and a deep one (reached by following each page's link to the next).
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Time the console queue and the API queue list, first page and page 50, on a seeded data set."
    )

    @OptionGroup var data: DataSetOptions
    @Option(help: "Timed calls of each kind.") var repeats = 50
    @Option(help: "The deep page to time.") var page = 50
    @OptionGroup var kept: KeepOption

    func run() async throws {
        try await InProcessServer.with(keeping: kept.keep) { server in
            try await server.seedUnlessKept(data, bench: "queue")
            let email = "queue-\(UUID().uuidString.prefix(8).lowercased())@bench.example"
            let (password, token) = try await server.addStaff(
                email: email,
                name: "Bench Agent",
                role: .agent,
                tier: .l1
            )
            // Sign-in answers with a redirect whose session cookie is needed: the client must not follow it.
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow)
            )
            do {
                let cookie = try await Self.logIn(client, server.base, email: email, password: password)
                let console = ["Cookie": cookie]
                let api = ["Authorization": "Bearer \(token)"]
                let first = "/console/queue?tier=L1"
                let deepConsole = try await Self.follow(client, server.base, from: first, headers: console, pages: page)
                {
                    body in
                    Self.link(in: body)
                }
                let list = "/api/v1/tickets?tier=L1&status=new&limit=50"
                let deepAPI = try await Self.follow(client, server.base, from: list, headers: api, pages: page) {
                    body in
                    guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                        let cursor = json["nextCursor"] as? String
                    else { return nil }
                    return list + "&cursor=" + cursor
                }
                for (name, path, headers) in [
                    ("console queue, page 1", first, console), ("console queue, page \(page)", deepConsole, console),
                    ("API list, page 1", list, api), ("API list, page \(page)", deepAPI, api),
                ] {
                    var samples: [Double] = []
                    for _ in 0..<repeats {
                        let began = ContinuousClock.now
                        _ = try await Self.get(client, server.base + path, headers: headers)
                        samples.append((ContinuousClock.now - began).seconds)
                    }
                    samples.sort()
                    print(
                        String(
                            format: "%@: p50 %.1f ms, p95 %.1f ms over %d calls",
                            name,
                            samples[samples.count / 2] * 1000,
                            samples[min(samples.count - 1, samples.count * 95 / 100)] * 1000,
                            samples.count
                        )
                    )
                }
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// The address of the next page of a console queue, from its "Older tickets" link.
    static func link(in html: String) -> String? {
        guard let end = html.range(of: "\">Older tickets"),
            let start = html.range(of: "<a href=\"", options: .backwards, range: html.startIndex..<end.lowerBound)
        else { return nil }
        return String(html[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Follows next-page links from `path` until page `pages`; the deepest page reached when the list ends.
    static func follow(
        _ client: HTTPClient,
        _ base: String,
        from path: String,
        headers: [String: String],
        pages: Int,
        next: (String) -> String?
    ) async throws -> String {
        var current = path
        for _ in 1..<pages {
            guard let following = next(try await get(client, base + current, headers: headers)) else { break }
            current = following
        }
        return current
    }

    static func get(_ client: HTTPClient, _ url: String, headers: [String: String]) async throws -> String {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 24)
        guard response.status == .ok else { throw BenchError("\(url) answered \(response.status)") }
        return String(buffer: body)
    }

    /// Signs in through the login form and returns the session cookie.
    static func logIn(_ client: HTTPClient, _ base: String, email: String, password: String) async throws -> String {
        let form = try await client.execute(HTTPClientRequest(url: base + "/login"), timeout: .seconds(30))
        let html = String(buffer: try await form.body.collect(upTo: 1 << 20))
        let loginCookie = form.headers["Set-Cookie"].compactMap { $0.split(separator: ";").first }
            .joined(separator: "; ")
        guard let marker = html.range(of: "name=\"_csrf\" value=\""),
            let end = html[marker.upperBound...].firstIndex(of: "\"")
        else { throw BenchError("the login page has no form token") }
        let csrf = String(html[marker.upperBound..<end])
        var request = HTTPClientRequest(url: base + "/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Cookie", value: loginCookie)
        let body = [("_csrf", csrf), ("email", email), ("password", password)]
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        guard
            let session = response.headers["Set-Cookie"].first(where: { $0.hasPrefix("tierdesk_session=") })?
                .split(separator: ";").first
        else { throw BenchError("signing in answered \(response.status) without a session") }
        return String(session)
    }
}
