import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer

/// `GET /metrics`: who may scrape it, and that it counts requests, mail intake and waiting work.
struct MetricsTests {
    static let token = "scrape-secret-1234"

    static func scrape(_ f: ServerFixture, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await f.client.execute(uri: "/metrics", method: .get, headers: headers, body: nil)
    }

    /// The value of one sample line, `name{labels} value`.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func aRemoteScraperNeedsTheToken() async throws {
        try await ServerFixture.with(metricsToken: Self.token) { f in
            // The test client has no loopback address: it is a scraper on another machine.
            #expect(try await Self.scrape(f).status == .forbidden)
            let wrong = try await Self.scrape(f, token: "scrape-secret-1235")
            #expect(wrong.status == .forbidden && String(buffer: wrong.body).contains("TIERDESK_METRICS_TOKEN"))
            // A person's API token is no scrape token.
            #expect(try await Self.scrape(f, token: f.tokens["admin"]).status == .forbidden)
            let scraped = try await Self.scrape(f, token: Self.token)
            #expect(
                scraped.status == .ok && scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true
            )
        }
    }

    @Test func withoutATokenOnlyLoopbackIsServedAndNotThroughAProxy() async throws {
        try await ServerFixture.with { f in
            #expect(try await Self.scrape(f, token: "anything").status == .forbidden)
            let app = buildApplication(f.components, host: "127.0.0.1", port: 0)
            try await app.test(.live) { client in
                let local = try await client.execute(uri: "/metrics", method: .get)
                #expect(local.status == .ok)
                let proxied = try await client.execute(
                    uri: "/metrics",
                    method: .get,
                    headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"]
                )
                #expect(proxied.status == .forbidden)
            }
        }
    }

    @Test func requestsMailAndWaitingWorkAreCounted() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail, metricsToken: Self.token) { f in
            let created = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "Label printer offline", "description": "Since the update."}"#
            )
            #expect(created.status == .created)
            let reference = try #require(try created.json()["reference"] as? String)
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)", as: "alice").status == .ok)
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)", as: "carol").status == .notFound)
            #expect(try await f.call(.get, "/no/such/page/\(UUID())").status == .notFound)

            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let message = MailInboundTests.message(from: "bob@example.com", subject: "Scanner", id: "m1@acme.example")
            #expect(try await MailInboundTests.post(f, message, token: gate).status == .created)
            #expect(try await MailInboundTests.post(f, message, token: gate).status == .ok)
            #expect(
                try await MailInboundTests.post(f, ByteBuffer(string: "no headers"), token: gate).status
                    == .unprocessableContent
            )

            let text = String(buffer: try await Self.scrape(f, token: Self.token).body)
            let requests = "tierdesk_http_requests_total"
            #expect(Self.sample(text, #"\#(requests){method="POST",route="/api/v1/tickets",status="201"}"#) == 1)
            #expect(
                Self.sample(text, #"\#(requests){method="GET",route="/api/v1/tickets/{reference}",status="200"}"#) == 1
            )
            #expect(
                Self.sample(text, #"\#(requests){method="GET",route="/api/v1/tickets/{reference}",status="404"}"#) == 1
            )
            #expect(Self.sample(text, #"\#(requests){method="GET",route="NotFound",status="404"}"#) == 1)
            #expect(!text.contains("/no/such/page"))
            #expect(
                Self.sample(
                    text,
                    #"tierdesk_http_request_duration_seconds_count{method="POST",route="/api/v1/tickets"}"#
                )
                    == 1
            )
            #expect(Self.sample(text, #"tierdesk_mail_intake_total{outcome="created"}"#) == 1)
            #expect(Self.sample(text, #"tierdesk_mail_intake_total{outcome="duplicate"}"#) == 1)
            #expect(Self.sample(text, #"tierdesk_mail_intake_total{outcome="refused"}"#) == 1)
            // Both new tickets acknowledged their requesters by mail, waiting or being tried (no relay answers).
            let mail = ["pending", "sending"]
                .compactMap {
                    Self.sample(text, #"tierdesk_outbox_messages{channel="mail",status="\#($0)"}"#)
                }
            #expect(mail.count == 2 && mail.reduce(0, +) == 2)
            #expect(Self.sample(text, #"tierdesk_outbox_messages{channel="webhook",status="pending"}"#) == 0)
            #expect(Self.sample(text, "tierdesk_sla_alarms_due") == 0)
            #expect(Self.sample(text, #"tierdesk_pages_open{status="triggered"}"#) == 0)
            #expect((Self.sample(text, #"tierdesk_database_write_transactions_total{outcome="committed"}"#) ?? 0) >= 2)
            #expect((Self.sample(text, "tierdesk_database_pool_connections") ?? 0) >= 1)
            #expect(Self.sample(text, "tierdesk_http_requests_in_flight") == 1)
        }
    }
}
