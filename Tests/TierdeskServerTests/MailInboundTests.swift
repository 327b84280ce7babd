import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TierdeskCore

@testable import TierdeskServer
@testable import TierdeskStore

/// `POST /api/v1/mail/inbound` through the real router: integration tokens, outcomes, the sender rules of
/// the access policy, files, limits and the mail it queues.
struct MailInboundTests {
    /// Mail on, relayed to a closed port: messages are queued; whether a delivery is tried does not matter here.
    static let mail = MailConfiguration(
        identity: DeskMailIdentity(address: "support@desk.example", name: "Service Desk"),
        smtp: try! SMTPConfiguration(url: "smtp://127.0.0.1:9?starttls=off")
    )

    static func message(
        from: String,
        subject: String,
        id: String,
        headers: String = "",
        body: String = "The label printer is offline."
    ) -> ByteBuffer {
        ByteBuffer(
            string:
                "From: \(from)\r\nTo: support@desk.example\r\nSubject: \(subject)\r\nMessage-ID: <\(id)>\r\n\(headers)MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
        )
    }

    static func post(_ f: ServerFixture, _ body: ByteBuffer, token: String?, type: String = "message/rfc822")
        async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await f.call(.post, "/api/v1/mail/inbound", body: body, headers: headers)
    }

    @Test func onlyAMailgateTokenOpensTheEndpoint() async throws {
        try await ServerFixture.with(mail: Self.mail) { f in
            let (_, events) = try await f.components.settingsDesk.createIntegration(kind: .events, name: "monitoring")
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let message = Self.message(from: "alice@example.com", subject: "Printer", id: "a1@acme.example")
            #expect(try await Self.post(f, message, token: nil).status == .unauthorized)
            #expect(try await Self.post(f, message, token: f.tokens["admin"]).status == .unauthorized)
            #expect(try await Self.post(f, message, token: events).status == .unauthorized)
            #expect(try await Self.post(f, message, token: gate, type: "text/plain").status == .unsupportedMediaType)
            #expect(try await Self.post(f, message, token: gate).status == .created)

            // An empty message, and one over the size limit, are refused before anything is read.
            let empty = try await Self.post(f, ByteBuffer(), token: gate)
            #expect(empty.status == .badRequest)
            #expect(try empty.problemFields() == ["body"])
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: Limits.mailBytes + 1)
            let tooLarge = try await Self.post(f, huge, token: gate)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.text.contains("at most \(Limits.mailBytes) bytes"))

            // A disabled account's mail is refused with the reason, and opens nothing.
            let alice = try #require(f.people["alice"])
            #expect(
                try await f.call(.patch, "/api/v1/people/\(alice.id)", as: "admin", json: #"{"active": false}"#).status
                    == .ok
            )
            let disabled = try await Self.post(
                f,
                Self.message(from: "alice@example.com", subject: "Printer again", id: "a2@acme.example"),
                token: gate
            )
            #expect(disabled.status == .forbidden && disabled.text.contains("alice@example.com is disabled"))
            #expect(try await f.components.tickets.find(number: 1002) == nil)
        }
    }

    @Test func theSenderRulesDecideBetweenAReplyAndANewTicket() async throws {
        try await ServerFixture.with(mail: Self.mail) { f in
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let opened = try await Self.post(
                f,
                Self.message(from: "Alice <alice@example.com>", subject: "Printer offline", id: "a1@acme.example"),
                token: gate
            )
            let reference = try #require(try opened.json()["ticket"] as? String)
            #expect(try opened.json()["autoReply"] as? String == "allowed")

            // Bob shares Acme's tickets and may add to Alice's; Carol (Globex) may not, and gets her own ticket.
            let bob = try await Self.post(
                f,
                Self.message(
                    from: "bob@example.com",
                    subject: "Re: [\(reference)] Printer offline",
                    id: "b1@acme.example"
                ),
                token: gate
            )
            #expect(try bob.json()["outcome"] as? String == "replied" && bob.json()["ticket"] as? String == reference)
            let carol = try await Self.post(
                f,
                Self.message(
                    from: "carol@example.com",
                    subject: "Re: [\(reference)] Printer offline",
                    id: "c1@globex.example"
                ),
                token: gate
            )
            #expect(
                try carol.json()["outcome"] as? String == "created" && carol.json()["ticket"] as? String != reference
            )
            let lena = try await Self.post(
                f,
                Self.message(
                    from: "lena@example.com",
                    subject: "Re: [\(reference)]",
                    id: "l1@desk.example",
                    headers: "In-Reply-To: <td-1001-x@desk.example>\r\n"
                ),
                token: gate
            )
            #expect(try lena.json()["ticket"] as? String == reference)

            // Strangers are refused until mail intake opens tickets for them.
            let stranger = Self.message(
                from: "Zoe Stranger <zoe@unknown.example>",
                subject: "Hello",
                id: "z1@unknown.example"
            )
            let refused = try await Self.post(f, stranger, token: gate)
            #expect(refused.status == .forbidden && refused.text.contains("zoe@unknown.example is not known here"))
            let open =
                #"{"unknownSenders": "open", "organisationId": "\#(f.globex.id.uuidString)", "autoRepliesPerHour": 5}"#
            #expect(try await f.call(.put, "/api/v1/settings/mail-intake", as: "lena", json: open).status == .forbidden)
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/mail-intake",
                        as: "admin",
                        json: #"{"unknownSenders": "open", "autoRepliesPerHour": 5}"#
                    )
                    .problemFields() == ["organisationId"]
            )
            #expect(try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: open).status == .ok)
            let taken = try await Self.post(f, stranger, token: gate)
            #expect(taken.status == .created)
            let zoe = try #require(try await f.components.directory.person(email: "zoe@unknown.example"))
            #expect(zoe.name == "Zoe Stranger" && zoe.organisationID == f.globex.id && zoe.roles == [.requester])

            // Every write queued its mail: acknowledgements for Alice, Carol and Zoe, Bob's and Lena's replies to Alice.
            let outbox = try await f.components.outbox.list(status: nil)
            #expect(
                outbox.filter { $0.automatic }.map(\.recipient).sorted() == [
                    "alice@example.com", "carol@example.com", "zoe@unknown.example",
                ]
            )
            #expect(outbox.filter { !$0.automatic }.map(\.recipient) == ["alice@example.com", "alice@example.com"])
        }
    }

    @Test func filesBouncesRepeatsAndLimits() async throws {
        try await ServerFixture.with(mail: Self.mail) { f in
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let multipart = """
                From: alice@example.com\r\nSubject: Scanner log\r\nMessage-ID: <m1@acme.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<p>Gr=FC=DFe <script>alert(1)</script>see the log</p>\r\n--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="../../etc/scan.log"\r\n\r\nERROR 42\r\n--b\r\nContent-Type: application/x-evil"<b>\r\nContent-Disposition: attachment; filename=".."\r\n\r\nx\r\n--b--\r\n
                """
            let created = try await Self.post(f, ByteBuffer(string: multipart), token: gate)
            let reference = try #require(try created.json()["ticket"] as? String)
            let files = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments", as: "alice")
            #expect(files.text.contains("scan.log") && !files.text.contains("../"))
            // Mail files follow the upload rules: a name that names nothing and an odd type are replaced.
            let listed = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: files.body)) as? [[String: Any]]
            )
            #expect(
                listed.map { "\($0["filename"] ?? "") \($0["contentType"] ?? "")" }.sorted() == [
                    "attachment application/octet-stream", "scan.log text/plain",
                ]
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "alice").json()
            #expect((ticket["description"] as? String)?.contains("<script>") == false)

            let repeated = try await Self.post(f, ByteBuffer(string: multipart), token: gate)
            #expect(try repeated.status == .ok && repeated.json()["outcome"] as? String == "duplicate")

            let bounce = Self.message(
                from: "MAILER-DAEMON@mx.acme.example",
                subject: "Undelivered Mail Returned to Sender",
                id: "bounce1@mx.acme.example",
                headers: "In-Reply-To: <td-\(reference.dropFirst(3))-e@desk.example>\r\n",
                body: "550 5.1.1 user unknown"
            )
            let noted = try await Self.post(f, bounce, token: gate)
            #expect(try noted.json()["outcome"] as? String == "noted")
            let events = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena").text
            #expect(events.contains("550 5.1.1 user unknown"))
            let aliceSees = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(!aliceSees.contains("550 5.1.1"))

            let ours = Self.message(from: "support@desk.example", subject: "Loop", id: "td-1001-x@desk.example")
            #expect(try await Self.post(f, ours, token: gate).json()["outcome"] as? String == "ignored")
            let noSender = try await Self.post(f, ByteBuffer(string: "Subject: x\r\n\r\nbody\r\n"), token: gate)
            #expect(try noSender.status == .unprocessableContent && noSender.problemFields() == ["From"])
            let manyFiles =
                "From: alice@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + (0..<21).map { "--b\r\nContent-Disposition: attachment; filename=f\($0).txt\r\n\r\nx\r\n" }.joined()
                + "--b--\r\n"
            let refused = try await Self.post(f, ByteBuffer(string: manyFiles), token: gate)
            #expect(refused.status == .unprocessableContent && refused.text.contains("at most 20"))
            #expect(try await f.components.tickets.highestNumber() == 1001)

            // A text over 1 MiB is cut to it at a character boundary, whatever the alignment of its characters.
            let lines = String(repeating: String(repeating: "€", count: 100) + "\r\n", count: 3_600)
            for (index, lead) in ["", "a", "ab"].enumerated() {
                let long = Self.message(
                    from: "alice@example.com",
                    subject: "Long log \(index)",
                    id: "long\(index)@acme.example",
                    body: lead + lines
                )
                let taken = try await Self.post(f, long, token: gate)
                let longReference = try #require(try taken.json()["ticket"] as? String, "\(taken.text.prefix(300))")
                let description = try #require(
                    try await f.call(.get, "/api/v1/tickets/\(longReference)", as: "alice").json()["description"]
                        as? String
                )
                #expect(
                    description.utf8.count <= TextLimits.body
                        && description.hasSuffix("[The message was cut to 1 MiB.]") && !description.contains("\u{FFFD}")
                )
            }
        }
    }

    @Test func adminsSeeTheOutboxAndRetryDeadLetters() async throws {
        try await ServerFixture.with { f in
            let outbox = f.components.outbox
            try await outbox.enqueue([
                OutboxMessage(
                    key: "mail:x",
                    channel: .mail,
                    recipient: "alice@example.com",
                    automatic: true,
                    payload: Data("{}".utf8),
                    ticketID: nil,
                    nextAttemptAt: ServerFixture.t0,
                    createdAt: ServerFixture.t0
                )
            ])
            let claim = try await outbox.claim(limit: 1, at: ServerFixture.t0, lease: 60)
            let id = try #require(claim.messages.first?.id)
            #expect(try await f.call(.post, "/api/v1/outbox/\(id)/retry", as: "admin").status == .notFound)
            try await outbox.markFailed(
                claim.messages[0],
                claim: claim.token,
                failure: .permanent("550 no such user"),
                policy: OutboxRetryPolicy(),
                at: ServerFixture.t0
            )
            #expect(try await f.call(.get, "/api/v1/outbox?status=dead", as: "lena").status == .forbidden)
            #expect(try await f.call(.get, "/api/v1/outbox?status=lost", as: "admin").problemFields() == ["status"])
            let dead = try await f.call(.get, "/api/v1/outbox?status=dead", as: "admin")
            #expect(dead.text.contains("550 no such user") && dead.text.contains(id.uuidString))
            let retried = try await f.call(.post, "/api/v1/outbox/\(id)/retry", as: "admin")
            #expect(
                try retried.status == .ok && retried.json()["status"] as? String == "pending"
                    && retried.json()["attempts"] as? Int == 0
            )
        }
    }

    @Test func adminsIssueAndRevokeIntegrationTokensAndSetMailIntake() async throws {
        try await ServerFixture.with { f in
            let body = #"{"kind": "mailgate", "name": "postfix"}"#
            #expect(
                try await f.call(.post, "/api/v1/settings/integrations", as: "lena", json: body).status == .forbidden
            )
            let pager = try await f.call(
                .post,
                "/api/v1/settings/integrations",
                as: "admin",
                json: #"{"kind": "pager", "name": "x"}"#
            )
            #expect(
                pager.status == .badRequest
                    && pager.text.contains("must be one of mailgate, alertmanager, grafana, events (got pager)")
            )
            #expect(try pager.problemFields() == ["kind"])
            let created = try await f.call(.post, "/api/v1/settings/integrations", as: "admin", json: body)
            #expect(created.status == .created)
            let token = try #require(try created.json()["token"] as? String)
            let id = try #require(try created.json()["id"] as? String)
            #expect(
                try await f.call(.post, "/api/v1/settings/integrations", as: "admin", json: body).status == .conflict
            )
            let message = Self.message(from: "alice@example.com", subject: "Printer", id: "api-1@acme.example")
            #expect(try await Self.post(f, message, token: token).status == .created)

            let listed = try await f.call(.get, "/api/v1/settings/integrations", as: "admin")
            #expect(listed.text.contains("postfix") && !listed.text.contains(token))
            #expect(try await f.call(.delete, "/api/v1/settings/integrations/\(id)", as: "admin").status == .noContent)
            #expect(try await f.call(.delete, "/api/v1/settings/integrations/\(id)", as: "admin").status == .notFound)
            #expect(
                try await Self
                    .post(
                        f,
                        Self.message(from: "alice@example.com", subject: "Again", id: "api-2@acme.example"),
                        token: token
                    )
                    .status == .unauthorized
            )

            #expect(
                try await f.call(.get, "/api/v1/settings/mail-intake", as: "admin").json()["unknownSenders"] as? String
                    == "refuse"
            )
            let unknownOrganisation =
                #"{"unknownSenders": "open", "organisationId": "\#(UUID().uuidString)", "autoRepliesPerHour": 5000}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: unknownOrganisation)
                    .problemFields() == ["autoRepliesPerHour"]
            )
            let unknownService =
                #"{"unknownSenders": "refuse", "serviceId": "\#(UUID().uuidString)", "autoRepliesPerHour": 5}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: unknownService)
                    .problemFields() == ["serviceId"]
            )
        }
    }
}
