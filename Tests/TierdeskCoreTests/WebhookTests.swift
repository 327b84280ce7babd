import Foundation
import Testing

@testable import TierdeskCore

/// Webhook subscriptions in the Core: targets inside private networks, validation, and what a payload carries.
struct WebhookTests {
    @Test func privateTargetsAreRecognised() throws {
        for url in [
            "http://localhost/x", "http://127.0.0.1:8080/", "https://10.1.2.3/", "http://172.20.0.5/",
            "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[fe80::1]/", "http://[fd00::5]/",
            "http://[::ffff:10.0.0.1]/", "http://printer.local/", "http://db.internal/", "http://LOCALHOST./",
        ] {
            #expect(try WebhookTarget(url).isPrivateLiteral, "\(url)")
        }
        for url in [
            "https://hooks.example.com/in", "http://8.8.8.8/", "http://172.32.0.1/", "http://[2001:db8::1]/",
            "http://192.169.0.1/",
        ] {
            #expect(try !WebhookTarget(url).isPrivateLiteral, "\(url)")
        }
        #expect(WebhookTarget.isPrivate(ipv6: Array(repeating: 0, count: 15) + [1]))
        #expect(WebhookTarget.isPrivate(ipv6: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 1]))
        #expect(!WebhookTarget.isPrivate(ipv6: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 12)))
        for bad in [
            "ftp://example.com/", "https://user:pw@example.com/", "not a url", "https:///path",
            "https://example.com/\u{0}",
        ] {
            #expect(throws: FieldError.self, "\(bad)") { _ = try WebhookTarget(bad) }
        }
    }

    @Test func subscriptionsNameEveryBadField() throws {
        let failure = try #require(throws: ValidationFailure.self) {
            _ = try WebhookSubscription.validate(
                url: "http://127.0.0.1:9/hook",
                events: ["ticket.created", "ticket.deleted"],
                allowPrivateTargets: false
            )
        }
        #expect(failure.errors.map(\.field) == ["url", "events"])
        let (target, events) = try WebhookSubscription.validate(
            url: "http://127.0.0.1:9/hook",
            events: ["ticket.created"],
            allowPrivateTargets: true
        )
        #expect(target.host == "127.0.0.1" && events == [.ticketCreated])
        #expect(throws: ValidationFailure.self) {
            _ = try WebhookSubscription.validate(
                url: "https://hooks.example.com",
                events: [],
                allowPrivateTargets: false
            )
        }
    }

    @Test func payloadsCarryFactsButNoMessageText() throws {
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let ticket = Ticket(
            id: UUID(),
            number: 1042,
            type: .incident,
            channel: .email,
            title: "Printer",
            description: "secret details",
            requesterID: UUID(),
            organisationID: UUID(),
            serviceID: nil,
            impact: .medium,
            urgency: .medium,
            priority: .p3,
            severity: .sev3,
            status: .inProgress,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 2,
            createdAt: t0,
            updatedAt: t0
        )
        let reply = TicketEvent(ticketID: ticket.id, kind: .publicReply, actorID: nil, at: t0, body: "private words")
        #expect(WebhookSubscription.EventType(reply) == .ticketPublicReply)
        #expect(
            WebhookSubscription.EventType(
                TicketEvent(ticketID: ticket.id, kind: .internalNote, actorID: nil, at: t0, body: "note")
            ) == nil
        )
        let json = String(
            decoding: try JSONEncoder().encode(WebhookPayload(type: .ticketPublicReply, event: reply, ticket: ticket)),
            as: UTF8.self
        )
        #expect(json.contains("TD-1042") && !json.contains("private words") && !json.contains("secret details"))
        let status = TicketEvent(
            ticketID: ticket.id,
            kind: .statusChanged,
            actorID: nil,
            at: t0,
            field: "status",
            before: "new",
            after: "in_progress"
        )
        #expect(
            WebhookPayload(type: .ticketStatusChanged, event: status, ticket: ticket).change
                == WebhookPayload.Change(field: "status", before: "new", after: "in_progress")
        )
    }
}
