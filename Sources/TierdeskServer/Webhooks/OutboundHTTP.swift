import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import TierdeskCore

/// The process's outbound HTTP (webhooks, HTTP pages, the SMS/voice gateway) on async-http-client: pooled
/// connections, a connect and a read timeout, and no redirects followed (a 3xx is an answer).
///
/// A post may be pinned to an address checked beforehand: the connection then goes to exactly that address
/// while TLS is still verified against (and SNI sent for) the host name, so a name cannot resolve to a public
/// address for the check and to a private one for the connection. Pinning is a client setting in
/// async-http-client, so each pinned (host, address) pair gets a client of its own, kept for reuse.
///
/// The outbox job that posts through it shuts it down when its loop ends (``OutboxJob/stop()``).
final class OutboundHTTP: Sendable {
    /// The most pinned clients kept; idle ones beyond it are closed.
    static let maxPinnedClients = 32
    /// The longest the answer's body is read; only its status counts.
    static let maxAnswerBytes = 64 * 1024
    static let requestTimeout: TimeAmount = .seconds(10)

    private struct Pinned {
        var client: HTTPClient
        var inFlight = 0
        var lastUsed: UInt64 = 0
    }

    private struct State {
        var pinned: [String: Pinned] = [:]
        var uses: UInt64 = 0
        var closed = false
    }

    private let open: HTTPClient
    private let state = NIOLockedValueBox(State())
    /// Clients evicted while others run; awaited at shutdown.
    private let closing = NIOLockedValueBox<[Task<Void, Never>]>([])

    init() {
        open = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: Self.configuration(pinning: [:])
        )
    }

    static func configuration(pinning: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: requestTimeout)
        )
        configuration.dnsOverride = pinning
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        return configuration
    }

    /// Posts `body`; when `address` is given, the connection goes to exactly that address. Returns the
    /// status of the answer.
    func post(
        _ url: URL,
        pinnedTo address: IPAddress?,
        headers: [(String, String)],
        body: Data
    ) async throws -> HTTPResponseStatus {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let host = url.host ?? ""
        guard let address, IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) == nil else {
            return try await Self.execute(request, on: open)
        }
        let (client, key) = try borrow(host: host, address: address)
        defer { giveBack(key) }
        return try await Self.execute(request, on: client)
    }

    private static func execute(_ request: HTTPClientRequest, on client: HTTPClient) async throws -> HTTPResponseStatus
    {
        let response = try await client.execute(request, timeout: requestTimeout)
        // Reading a short answer to its end lets the connection be reused; a long one is dropped.
        var read = 0
        for try await chunk in response.body {
            read += chunk.readableBytes
            if read > maxAnswerBytes { break }
        }
        return response.status
    }

    private func borrow(host: String, address: IPAddress) throws -> (HTTPClient, String) {
        let key = "\(host)|\(address)"
        var evicted: [HTTPClient] = []
        let client = try state.withLockedValue { state -> HTTPClient in
            guard !state.closed else { throw CancellationError() }
            state.uses += 1
            if state.pinned[key] == nil {
                state.pinned[key] = Pinned(
                    client: HTTPClient(
                        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                        configuration: Self.configuration(pinning: [host: address.description])
                    )
                )
                let idle = state.pinned.filter { $0.key != key && $0.value.inFlight == 0 }
                    .sorted { $0.value.lastUsed < $1.value.lastUsed }
                for (old, entry) in idle.prefix(max(0, state.pinned.count - Self.maxPinnedClients)) {
                    evicted.append(entry.client)
                    state.pinned[old] = nil
                }
            }
            state.pinned[key]!.inFlight += 1
            state.pinned[key]!.lastUsed = state.uses
            return state.pinned[key]!.client
        }
        for old in evicted { close(old) }
        return (client, key)
    }

    private func giveBack(_ key: String) {
        state.withLockedValue { state in state.pinned[key]?.inFlight -= 1 }
    }

    private func close(_ client: HTTPClient) {
        let task = Task<Void, Never> { try? await client.shutdown() }
        closing.withLockedValue { $0.append(task) }
    }

    /// Closes every client; posts after this fail.
    func shutdown() async {
        let clients = state.withLockedValue { state -> [HTTPClient] in
            guard !state.closed else { return [] }
            state.closed = true
            defer { state.pinned = [:] }
            return [open] + state.pinned.values.map(\.client)
        }
        for client in clients { try? await client.shutdown() }
        for task in closing.withLockedValue({ $0 }) { await task.value }
    }
}
