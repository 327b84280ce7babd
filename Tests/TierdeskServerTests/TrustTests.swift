import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer
@testable import TierdeskStore

/// The defects an attacker found, each through the real router on both engines: hidden tickets on write
/// paths, requesters choosing staff fields, control characters in queries, foreign keys and receipts
/// that leaked as 500, caching, duplicate JSON keys, private webhook targets spelt the resolver's way,
/// parallel password guesses, and mail that forges, loops, floods or nests.
struct TrustTests {
    @Test func aHiddenTicketIsNotFoundOnEveryWritePathBeforeAnyVersionCheck() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            // Carol (Globex) may not see Acme's ticket: an empty change must not hand it over.
            for version in [1, 99] {
                let patched = try await f.call(
                    .patch,
                    "/api/v1/tickets/\(reference)",
                    as: "carol",
                    json: #"{"version": \#(version)}"#
                )
                #expect(patched.status == .notFound && !patched.text.contains("Printer jam"))
            }
            let writes: [(HTTPRequest.Method, String, String)] = [
                (.patch, "", #"{"version": 1, "title": "mine"}"#),
                (.post, "/status", #"{"version": 1, "status": "resolved"}"#),
                (.post, "/replies", #"{"body": "hello"}"#),
                (.post, "/notes", #"{"body": "hello"}"#),
                (.post, "/attachments?filename=x.txt", #"{}"#),
                (.post, "/escalations", #"{"version": 1, "reason": "x"}"#),
                (.post, "/workaround", #"{"version": 1, "description": "x"}"#),
                (.post, "/corrections", #"{"target": "x", "change": "y", "reason": "z"}"#),
            ]
            for (method, path, json) in writes {
                let response = try await f.call(method, "/api/v1/tickets/\(reference)\(path)", as: "carol", json: json)
                #expect(response.status == .notFound, "\(method) \(path): \(response.status)")
            }
            // A vendor contact sees only tickets escalated to their vendor.
            let vendor = try await f.call(.post, "/api/v1/vendors", as: "admin", json: #"{"name": "NordERP"}"#)
            let vendorID = try #require(try vendor.json()["id"] as? String)
            let contact = try await f.call(
                .post,
                "/api/v1/people",
                as: "admin",
                json:
                    #"{"email": "vera@norderp.example", "name": "Vera", "roles": ["vendor"], "vendorId": "\#(vendorID)"}"#
            )
            let contactID = try #require(try contact.json()["id"] as? String)
            let issued = try await f.call(
                .post,
                "/api/v1/tokens",
                as: "admin",
                json: #"{"name": "vendor", "personId": "\#(contactID)"}"#
            )
            let token = try #require(try issued.json()["token"] as? String)
            let asVendor = try await f.call(
                .patch,
                "/api/v1/tickets/\(reference)",
                json: #"{"version": 1}"#,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(asVendor.status == .notFound)
            // The requester herself still gets her ticket back.
            #expect(
                try await f.call(.patch, "/api/v1/tickets/\(reference)", as: "alice", json: #"{"version": 1}"#).status
                    == .ok
            )
        }
    }

    @Test func requestersDoNotChooseTierGroupSeverityOrOwner() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            for extra in [
                #", "tier": "L3""#, #", "group": "Database""#, #", "severity": "Sev1""#,
                #", "ownerId": "\#(lena.id.uuidString)""#,
            ] {
                let response = try await f.call(
                    .post,
                    "/api/v1/tickets",
                    as: "alice",
                    json: #"{"title": "Skip the queue", "description": "Now."\#(extra)}"#
                )
                #expect(
                    response.status == .forbidden && response.text.contains("leave out"),
                    "\(extra): \(response.status) \(response.text)"
                )
            }
            #expect(try await f.components.tickets.find(number: 1001) == nil)
            // Agents still route a ticket where it belongs.
            let routed = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json: #"{"title": "DB slow", "description": "x", "tier": "L2", "group": "Database"}"#
            )
            #expect(try routed.status == .created && routed.json()["tier"] as? String == "L2")
        }
    }

    @Test func controlCharactersInQueryTextAreRefusedNamingTheParameter() async throws {
        try await ServerFixture.with { f in
            _ = try await f.openTicket(as: "alice")
            for query in ["q=%00", "q=printer%01", "status=new&q=a%7Fb", "tier=L1%0A"] {
                let response = try await f.call(.get, "/api/v1/tickets?\(query)", as: "lena")
                #expect(
                    response.status == .badRequest && response.headers[.contentType] == "application/problem+json",
                    "\(query): \(response.status)"
                )
            }
            #expect(try await f.call(.get, "/api/v1/tickets?q=%00", as: "lena").problemFields() == ["q"])
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console?q=%00")
            #expect(page.status == .badRequest && page.text.contains("control characters"))
            #expect(try await f.call(.get, "/api/v1/tickets?q=printer%20jam", as: "lena").status == .ok)
        }
    }

    @Test func anUnknownOrganisationIsAFieldErrorNotAServerError() async throws {
        try await ServerFixture.with { f in
            let response = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json: #"{"title": "For a customer", "description": "x", "organisationId": "\#(UUID().uuidString)"}"#
            )
            #expect(try response.status == .unprocessableContent && response.problemFields() == ["organisationId"])
            let known = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json:
                    #"{"title": "For a customer", "description": "x", "organisationId": "\#(f.globex.id.uuidString)"}"#
            )
            #expect(known.status == .created)
        }
    }

    @Test func apiAnswersAreNeverStoredByCaches() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let upload = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/attachments?filename=log.txt",
                as: "alice",
                body: ByteBuffer(string: "ERROR"),
                headers: [.contentType: "text/plain"]
            )
            let id = try #require(try upload.json()["id"] as? String)
            for uri in [
                "/api/v1/tickets", "/api/v1/tickets/\(reference)", "/api/v1/tickets/\(reference)/attachments/\(id)",
                "/api/v1/me", "/api/v1/tickets/TD-9999",
            ] {
                let response = try await f.call(.get, uri, as: "alice")
                #expect(response.headers[.cacheControl] == "private, no-store", "\(uri)")
            }
        }
    }

    @Test func duplicateJSONKeysAreRefused() async throws {
        try await ServerFixture.with { f in
            let response = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "A", "description": "x", "title": "B"}"#
            )
            #expect(try response.status == .badRequest && response.problemFields() == ["title"])
            let escaped = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "A", "description": "x", "attributes": {"k": "1", "\u006b": "2"}}"#
            )
            #expect(try escaped.status == .badRequest && escaped.problemFields() == ["attributes.k"])
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets",
                        as: "alice",
                        json: #"{"title": "A", "description": "x", "attributes": {"title": "1"}}"#
                    )
                    .status == .created
            )
        }
    }

    @Test func webhookTargetsAreReadAsTheResolverReadsThem() async throws {
        try await ServerFixture.with { f in
            for host in [
                "127.1", "0x7f000001", "2130706433", "017700000001", "[::ffff:7f00:1]", "[0:0:0:0:0:0:0:1]",
                "[::127.0.0.1]", "10.1", "0",
            ] {
                let body = #"{"url": "http://\#(host)/hook", "events": ["ticket.created"]}"#
                let response = try await f.call(.post, "/api/v1/settings/webhooks", as: "admin", json: body)
                #expect(
                    try response.status == .unprocessableContent && response.problemFields() == ["url"],
                    "\(host): \(response.status)"
                )
            }
            let open = try await f.call(
                .post,
                "/api/v1/settings/webhooks",
                as: "admin",
                json: #"{"url": "https://203.0.113.7/hook", "events": ["ticket.created"]}"#
            )
            #expect(open.status == .created)
        }
    }

    @Test func undeclaredMethodsAre405WithAllow() async throws {
        try await ServerFixture.with { f in
            let response = try await f.call(.delete, "/api/v1/tickets", as: "lena")
            #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, POST")
            #expect(try await f.call(.get, "/api/v1/nothing-here", as: "lena").status == .notFound)
        }
    }

    @Test func nullForAFieldThatCannotBeClearedAndBadQueryValuesAre400() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            for field in ["title", "description", "severity", "tier", "workaroundApplied"] {
                let response = try await f.call(
                    .patch,
                    "/api/v1/tickets/\(reference)",
                    as: "lena",
                    json: #"{"version": 1, "\#(field)": null}"#
                )
                #expect(try response.status == .badRequest && response.problemFields() == [field], "\(field)")
            }
            // Clearable fields still take null.
            #expect(
                try await f
                    .call(.patch, "/api/v1/tickets/\(reference)", as: "lena", json: #"{"version": 1, "group": null}"#)
                    .status == .ok
            )
            for query in ["limit=101", "limit=abc", "limit=0", "q=\(String(repeating: "a", count: 2001))"] {
                #expect(
                    try await f.call(.get, "/api/v1/known-errors?\(query)", as: "lena").status == .badRequest,
                    "\(query.prefix(20))"
                )
            }
            #expect(
                try await f.call(.get, "/api/v1/notifications?unread=null", as: "lena").problemFields() == ["unread"]
            )
            #expect(try await f.call(.get, "/api/v1/notifications?unread=false", as: "lena").status == .ok)
        }
    }

    @Test func passwordGuessesSentAtOnceAreCountedBeforeTheyAreChecked() async throws {
        try await ServerFixture.with { f in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        var browser = Browser(fixture: f)
                        return try await browser.logIn("alice@example.com", password: "wrong guess").status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            // At most five are checked; the rest are refused unchecked. (All come from one address, whose own
            // limit of twenty may refuse an attempt the account would still have taken.)
            let checked = statuses.filter { $0 == .unauthorized }.count
            #expect((1...SessionDesk.maxFailuresPerAccount).contains(checked))
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 30 - checked)
            // The right password is refused too while the account is locked.
            var browser = Browser(fixture: f)
            #expect(try await browser.logIn("alice@example.com").status == .tooManyRequests)
        }
    }

    // MARK: Mail

    static func mailgate(_ f: ServerFixture) async throws -> String {
        try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix").1
    }

    @Test func forgedRepeatedAndOwnSendersDoNotFoolMailIntake() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let gate = try await Self.mailgate(f)
            let reference = try await f.openTicket(as: "alice")
            // An encoded display name that decodes to Alice's address is only a name: Carol's mail to
            // Alice's ticket opens her own ticket instead of replying as Alice.
            let forged = MailInboundTests.message(
                from: "=?utf-8?q?alice=40example=2Ecom=2C?= <carol@example.com>",
                subject: "Re: [\(reference)] Printer jam",
                id: "f1@globex.example"
            )
            let answer = try await MailInboundTests.post(f, forged, token: gate)
            #expect(
                try answer.json()["outcome"] as? String == "created" && answer.json()["ticket"] as? String != reference
            )
            let opened = try #require(try await f.components.tickets.find(number: 1002))
            #expect(opened.requesterID == f.people["carol"]?.id)

            // Any copy of a loop header that says "automatic" counts.
            let repeated = MailInboundTests.message(
                from: "bob@example.com",
                subject: "Out of office",
                id: "b1@acme.example",
                headers: "Precedence: normal\r\nPrecedence: bulk\r\n"
            )
            #expect(
                try await MailInboundTests.post(f, repeated, token: gate).json()["autoReply"] as? String
                    == "suppressed: Precedence: bulk"
            )
            let submitted = MailInboundTests.message(
                from: "bob@example.com",
                subject: "Auto",
                id: "b2@acme.example",
                headers: "Auto-Submitted: no\r\nAuto-Submitted: auto-replied\r\n"
            )
            #expect(
                try await MailInboundTests.post(f, submitted, token: gate).json()["autoReply"] as? String
                    == "suppressed: Auto-Submitted: auto-replied"
            )

            // Mail from the desk's own mailbox opens nothing, even with open intake.
            let open =
                #"{"unknownSenders": "open", "organisationId": "\#(f.globex.id.uuidString)", "autoRepliesPerHour": 5}"#
            #expect(try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: open).status == .ok)
            let highest = try await f.components.tickets.highestNumber()
            for from in ["Service Desk <support@desk.example>", "SUPPORT+td-1001@desk.example"] {
                let own = try await MailInboundTests.post(
                    f,
                    MailInboundTests.message(from: from, subject: "Hello", id: "\(UUID())@elsewhere.example"),
                    token: gate
                )
                #expect(try own.json()["outcome"] as? String == "ignored")
            }
            #expect(try await f.components.tickets.highestNumber() == highest)
            #expect(try await f.components.directory.person(email: "support@desk.example") == nil)
        }
    }

    @Test func aSenderPastTheHourlyLimitIsHeldForReviewNotDropped() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let gate = try await Self.mailgate(f)
            let settings = #"{"unknownSenders": "refuse", "autoRepliesPerHour": 5, "newTicketsPerHour": 3}"#
            #expect(try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: settings).status == .ok)
            var outcomes: [String] = []
            for index in 0..<5 {
                let answer = try await MailInboundTests.post(
                    f,
                    MailInboundTests.message(
                        from: "bob@example.com",
                        subject: "Flood \(index)",
                        id: "flood\(index)@acme.example"
                    ),
                    token: gate
                )
                outcomes.append(try answer.json()["outcome"] as? String ?? "?")
            }
            #expect(outcomes == ["created", "created", "created", "held", "held"])
            #expect(try await f.components.tickets.highestNumber() == 1003)
            let events = try await f.components.tickets.events(
                ticketID: try #require(try await f.components.tickets.find(number: 1003)).id,
                includeInternal: true
            )
            #expect(
                events.filter { $0.kind == .internalNote && ($0.body ?? "").contains("Held for review") }.count == 2
            )
            // A held message is received: delivered again, it is a duplicate, not a third note.
            let again = try await MailInboundTests.post(
                f,
                MailInboundTests.message(from: "bob@example.com", subject: "Flood 4", id: "flood4@acme.example"),
                token: gate
            )
            #expect(try again.json()["outcome"] as? String == "duplicate")
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/mail-intake",
                        as: "admin",
                        json: #"{"unknownSenders": "refuse", "autoRepliesPerHour": 5, "newTicketsPerHour": 0}"#
                    )
                    .problemFields() == ["newTicketsPerHour"]
            )
        }
    }

    @Test func parallelMailFromOneSenderStaysWithinTheLimit() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let gate = try await Self.mailgate(f)
            let settings = #"{"unknownSenders": "refuse", "autoRepliesPerHour": 5, "newTicketsPerHour": 3}"#
            #expect(try await f.call(.put, "/api/v1/settings/mail-intake", as: "admin", json: settings).status == .ok)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let message = MailInboundTests.message(
                            from: "bob@example.com",
                            subject: "Flood \(index)",
                            id: "p\(index)@acme.example"
                        )
                        return try await MailInboundTests.post(f, message, token: gate).json()["outcome"] as? String
                            ?? "?"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "created" }.count == 3 && outcomes.filter { $0 == "held" }.count == 9)
        }
    }

    @Test func anAlertStormPastTheHourlyLimitIsHeldOnTheNewestAlertTicket() async throws {
        try await ServerFixture.with { f in
            let settings =
                #"{"reporterId":"\#(f.people["omar"]!.id.uuidString)","severityLabel":"severity","severities":{},"defaultSeverity":"Sev3","serviceLabel":"service","onResolve":"close","newTicketsPerHour":2}"#
            #expect(try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: settings).status == .ok)
            let (_, token) = try await f.components.settingsDesk.createIntegration(kind: .alertmanager, name: "prod")
            var kinds: [String] = []
            var numbers: [Int] = []
            for index in 0..<4 {
                let answer = try await AlertIntakeTests.post(
                    f,
                    "alertmanager",
                    AlertIntakeTests.alertmanager("firing", fingerprint: "storm\(index)"),
                    token: token
                )
                let outcome = try #require((try answer.json()["alerts"] as? [[String: Any]])?.first)
                kinds.append(outcome["outcome"] as? String ?? "?")
                numbers.append(Int((outcome["ticket"] as? String ?? "").dropFirst(3)) ?? 0)
            }
            #expect(kinds == ["opened", "opened", "held", "held"])
            #expect(numbers == [1001, 1002, 1002, 1002])
            #expect(try await f.components.tickets.highestNumber() == 1002)
            let newest = try #require(try await f.components.tickets.find(number: 1002))
            let notes = try await f.components.tickets.events(ticketID: newest.id, includeInternal: true)
                .filter { ($0.body ?? "").hasPrefix("Held: alert intake") }
            #expect(notes.count == 2 && notes.allSatisfy { ($0.body ?? "").contains("LineStopped") })
            // A held alert is on the ticket it was held on: its resolution reaches that ticket.
            let resolved = try await AlertIntakeTests.post(
                f,
                "alertmanager",
                AlertIntakeTests.alertmanager("resolved", fingerprint: "storm3", endsAt: "2026-09-21T11:00:00Z"),
                token: token
            )
            #expect(try (resolved.json()["alerts"] as? [[String: Any]])?.first?["ticket"] as? String == "TD-1002")
        }
    }

    @Test func oneMessageDeliveredTwiceAtOnceIsStoredOnce() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let gate = try await Self.mailgate(f)
            let message = MailInboundTests.message(
                from: "alice@example.com",
                subject: "Twice",
                id: "twice@acme.example"
            )
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let answer = try await MailInboundTests.post(f, message, token: gate)
                        return "\(answer.status.code) \(try answer.json()["outcome"] as? String ?? "")"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.sorted() == ["200 duplicate", "200 duplicate", "200 duplicate", "201 created"])
            #expect(try await f.components.tickets.highestNumber() == 1001)
        }
    }

    @Test func aDeeplyNestedMailOpensATicketWithItsInnerPartsKept() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let gate = try await Self.mailgate(f)
            var body = "The nested text.\r\n"
            var type = "text/plain"
            for level in 0..<25 {
                body = "--n\(level)\r\nContent-Type: \(type)\r\n\r\n\(body)\r\n--n\(level)--\r\n"
                type = "multipart/mixed; boundary=n\(level)"
            }
            let raw =
                "From: alice@example.com\r\nSubject: Deep\r\nMessage-ID: <deep@acme.example>\r\nMIME-Version: 1.0\r\nContent-Type: \(type)\r\n\r\n\(body)"
            let answer = try await MailInboundTests.post(f, ByteBuffer(string: raw), token: gate)
            #expect(answer.status == .created)
            let reference = try #require(try answer.json()["ticket"] as? String)
            let files = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments", as: "alice")
            #expect(files.text.contains("Nested part.eml"))
        }
    }

    @Test func attachmentNamesLoseInvisibleCharactersAndDeviceNames() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            for (raw, stored) in [
                ("invoice%E2%80%AEfdp.exe", "invoicefdp.exe"), ("con.txt", "_con.txt"),
                ("a%E2%80%8Bb%E2%81%A6.pdf", "ab.pdf"),
            ] {
                let upload = try await f.call(
                    .post,
                    "/api/v1/tickets/\(reference)/attachments?filename=\(raw)",
                    as: "alice",
                    body: ByteBuffer(string: "x")
                )
                #expect(try upload.json()["filename"] as? String == stored)
            }
        }
    }

    @Test func trustedProxiesNameTheClientOthersCannot() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.0.2.1")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: ["198.51.100.7"]) == "198.51.100.7")
        // Read from the right: the client may put anything on the left.
        #expect(
            proxies.client(peer: "10.1.2.3", forwardedFor: ["1.1.1.1, 198.51.100.7", "10.9.9.9"]) == "198.51.100.7"
        )
        #expect(proxies.client(peer: "203.0.113.5", forwardedFor: ["198.51.100.7"]) == "203.0.113.5")
        #expect(proxies.client(peer: "192.0.2.1", forwardedFor: ["not-an-address"]) == "192.0.2.1")
        #expect(TrustedProxies.none.client(peer: "10.1.2.3", forwardedFor: ["198.51.100.7"]) == "10.1.2.3")
        #expect(throws: FieldError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
    }

    @Test func jsonDuplicateKeysAreFoundAtAnyDepth() {
        func first(_ text: String) -> String? {
            if case .duplicate(let path)? = JSONDuplicateKeys.first(in: Data(text.utf8)) { return path }
            return nil
        }
        #expect(JSONDuplicateKeys.first(in: Data((String(repeating: "[", count: 20_000)).utf8)) == .tooDeep)
        #expect(
            JSONDuplicateKeys.first(
                in: Data((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)
            ) == nil
        )
        #expect(first(#"{"a": 1, "b": {"c": [1, {"d": 1, "d": 2}]}}"#) == "b.c[1].d")
        #expect(first(#"{"a": "{\"a\": 1, \"a\": 2}", "b": [{"a": 1}, {"a": 2}]}"#) == nil)
        #expect(first(#"{"\ud83d\ude00": 1, "😀": 2}"#) == "😀")
        #expect(first(#"[{"x": 1}, {"y": 1, "y": 1}]"#) == "[1].y")
    }
}
