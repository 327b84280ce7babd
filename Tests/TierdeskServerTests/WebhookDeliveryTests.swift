import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Outgoing webhooks through the real router and the outbox's sender, to a real HTTP receiver on loopback.
struct WebhookDeliveryTests {
    /// A real HTTP server that hands over every request it receives.
    final class Receiver: Sendable {
        struct Received: Sendable {
            var headers: HTTPFields
            var authority: String?
            var body: Data
        }

        let requests: AsyncStream<Received>
        private let continuation: AsyncStream<Received>.Continuation
        private let task: Task<Void, any Error>
        let port: Int

        init() async throws {
            (requests, continuation) = AsyncStream.makeStream(of: Received.self)
            let router = Router()
            router.post("/hook") { [continuation] request, _ -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: 1 << 20)
                continuation.yield(
                    Received(headers: request.headers, authority: request.head.authority, body: Data(buffer: body))
                )
                return .noContent
            }
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }
            )
            task = Task { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            port = await iterator.next() ?? 0
        }

        /// The next request, or nil after `seconds` without one.
        func next(within seconds: Int = 20) async -> Received? {
            await withTaskGroup(of: Received?.self) { group in
                group.addTask {
                    var iterator = self.requests.makeAsyncIterator()
                    return await iterator.next()
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    /// A checked name is connected to at exactly the checked address: the name itself is never looked up
    /// again (here it cannot be: `.invalid` never resolves), and the receiver still sees the name as Host.
    @Test func aPinnedPostGoesToTheCheckedAddressUnderItsName() async throws {
        let receiver = try await Receiver()
        let http = OutboundHTTP()
        let url = URL(string: "http://hooks.tierdesk.invalid:\(receiver.port)/hook")!
        let status = try await http.post(
            url,
            pinnedTo: IPAddress("127.0.0.1"),
            headers: [("X-Probe", "1")],
            body: Data("{}".utf8)
        )
        #expect(status == .noContent)
        let received = try #require(await receiver.next())
        #expect(received.authority == "hooks.tierdesk.invalid:\(receiver.port)")
        #expect(received.headers[HTTPField.Name("X-Probe")!] == "1")
        await http.shutdown()
        await receiver.stop()
    }

    @Test func subscribedEventsArriveSignedAndPrivateTargetsNeedPermission() async throws {
        let receiver = try await Receiver()
        try await ServerFixture.with { f in
            let url = "http://127.0.0.1:\(receiver.port)/hook"
            let body = #"{"url":"\#(url)","events":["ticket.created","ticket.status_changed"]}"#
            #expect(try await f.call(.post, "/api/v1/settings/webhooks", as: "lena", json: body).status == .forbidden)
            #expect(
                try await f.call(.post, "/api/v1/settings/webhooks", as: "admin", json: body).problemFields() == ["url"]
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/settings/webhooks",
                        as: "admin",
                        json: #"{"url":"gopher://x","events":["ticket.nope"]}"#
                    )
                    .problemFields() == ["url", "events"]
            )
            let created = try await f.call(
                .post,
                "/api/v1/settings/webhooks",
                as: "admin",
                json:
                    #"{"url":"\#(url)","events":["ticket.created","ticket.status_changed"],"allowPrivateTargets":true}"#
            )
            #expect(created.status == .created)
            let secret = try #require(try created.json()["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            #expect(try await f.call(.get, "/api/v1/settings/webhooks", as: "admin").text.contains("whsec_") == false)

            // A new ticket arrives as ticket.created, signed with the secret, without the requester's text.
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            let first = try #require(await receiver.next())
            let signature = try #require(first.headers[HTTPField.Name("X-Tierdesk-Signature")!])
            let parts = Dictionary(
                uniqueKeysWithValues: signature.split(separator: ",")
                    .map { part in
                        let pair = part.split(separator: "=", maxSplits: 1)
                        return (String(pair[0]), String(pair[1]))
                    }
            )
            let stamp = try #require(parts["t"].flatMap { Int($0) })
            #expect(parts["v1"] == WebhookSignature.mac(body: first.body, secret: secret, stamp: stamp))
            var signed = Data("\(stamp).".utf8)
            signed.append(first.body)
            let expected = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            #expect(parts["v1"] == expected)
            let payload = try JSONDecoder().decode(WebhookPayload.self, from: first.body)
            #expect(payload.type == .ticketCreated && payload.ticket.reference == reference)
            #expect(!String(decoding: first.body, as: UTF8.self).contains("It jams."))
            #expect(first.headers[HTTPField.Name("X-Tierdesk-Delivery")!]?.hasPrefix("webhook-") == true)

            // An internal note is not subscribed to; a status change is.
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/notes",
                as: "lena",
                json: #"{"body":"checked the spooler"}"#
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena").json()
            let version = try #require(ticket["version"] as? Int)
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(reference)/status",
                        as: "lena",
                        json: #"{"status":"in_progress","version":\#(version)}"#
                    )
                    .status == .ok
            )
            let second = try #require(await receiver.next())
            let change = try JSONDecoder().decode(WebhookPayload.self, from: second.body)
            #expect(change.type == .ticketStatusChanged && change.change?.after == "in_progress")

            // Revoked, the subscription hears nothing more.
            let id = try #require(try created.json()["id"] as? String)
            #expect(try await f.call(.delete, "/api/v1/settings/webhooks/\(id)", as: "lena").status == .forbidden)
            #expect(try await f.call(.delete, "/api/v1/settings/webhooks/\(id)", as: "admin").status == .noContent)
            #expect(try await f.call(.delete, "/api/v1/settings/webhooks/\(id)", as: "admin").status == .notFound)
            let queuedBefore = try await f.components.outbox.list(status: nil).count { $0.recipient == url }
            _ = try await f.openTicket(as: "alice", title: "After the revocation")
            #expect(try await f.components.outbox.list(status: nil).count { $0.recipient == url } == queuedBefore)

            // A name that is not an address passes the check on saving, but if it resolves into a private
            // network the delivery is refused for good, before any request is made. This machine's own name
            // resolves to a loopback address here.
            let name = ProcessInfo.processInfo.hostName.lowercased()
            let addresses = WebhookClient.resolve(name)
            #expect(
                WebhookClient.resolve("localhost")
                    .contains { WebhookTarget.isPrivate($0) && $0.description == "127.0.0.1" }
            )
            if let inside = addresses.first(where: WebhookTarget.isPrivate), !WebhookTarget.isPrivateLiteral(name) {
                #expect(
                    try await f
                        .call(
                            .post,
                            "/api/v1/settings/webhooks",
                            as: "admin",
                            json: #"{"url":"http://\#(name):\#(receiver.port)/hook","events":["ticket.created"]}"#
                        )
                        .status == .created
                )
                let http = OutboundHTTP()
                do {
                    try await WebhookClient(http: http)
                        .post(
                            url: "http://\(name):\(receiver.port)/hook",
                            body: Data("{}".utf8),
                            key: "k",
                            secret: "s",
                            allowPrivateTargets: false,
                            at: ServerFixture.t0
                        )
                    Issue.record("a private target was called")
                } catch {
                    #expect(
                        error as? DeliveryFailure
                            == .permanent(
                                "\(name) resolves to the private address \(inside); the subscription does not allow private targets"
                            )
                    )
                }
                await http.shutdown()
            }
        }
        await receiver.stop()
    }
}
