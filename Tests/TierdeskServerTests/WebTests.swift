import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer
@testable import TierdeskStore

/// A browser's cookie jar, enough for the console and the portal.
struct Browser {
    var cookies: [String: String] = [:]
    let fixture: ServerFixture

    mutating func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil) async throws
        -> TestResponse
    {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(
                string:
                    form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                    .joined(separator: "&")
            )
        }
        let response = try await fixture.client.execute(uri: uri, method: method, headers: headers, body: body)
        ServerFixture.checkContract(method, uri, response)
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    /// Posts a `multipart/form-data` form, as a browser sends one with file inputs: `fields`, then each
    /// file as (field, file name, type, bytes).
    mutating func upload(
        _ uri: String,
        fields: [String: String],
        files: [(field: String, name: String, type: String, data: Data)]
    ) async throws -> TestResponse {
        let boundary = "----TierdeskTestBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            )
        }
        for file in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                        .utf8
                )
            )
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPFields()
        headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await fixture.client.execute(
            uri: uri,
            method: .post,
            headers: headers,
            body: ByteBuffer(data: body)
        )
        ServerFixture.checkContract(.post, uri, response)
        return response
    }

    /// The `_csrf` value of the first form on a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    mutating func logIn(_ email: String, password: String = ServerFixture.password) async throws -> TestResponse {
        let page = try await send(.get, "/login")
        let token = try #require(Self.csrf(in: page.text))
        return try await send(.post, "/login", form: ["_csrf": token, "email": email, "password": password])
    }
}

@Suite struct WebTests {
    @Test func agentLogsInWorksATicketAndLogsOut() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "<script>alert(1)</script> printer")
            var browser = Browser(fixture: f)
            #expect(try await browser.send(.get, "/console").headers[.location] == "/login")
            let login = try await browser.logIn("lena@example.com")
            #expect(login.status == .seeOther && login.headers[.location] == "/console")
            let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("tierdesk_session=") })
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
                    && !cookie.contains("Secure")
            )

            let queue = try await browser.send(.get, "/console/queue?tier=L1")
            #expect(queue.status == .ok)
            #expect(queue.text.contains(#"id="queue-L1""#) && queue.text.contains(reference))
            #expect(
                queue.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !queue.text.contains("<script>alert")
            )
            // The one script is the page's own file; inline and foreign scripts stay forbidden.
            #expect(queue.headers[.contentSecurityPolicy]?.contains("script-src 'self';") == true)
            #expect(queue.text.contains(#"<script src="/static/tierdesk.js" defer></script>"#))
            let script = try await browser.send(.get, "/static/tierdesk.js")
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("time[datetime]"))

            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            let csrf = try #require(Browser.csrf(in: page.text))
            let forged = try await browser.send(
                .post,
                "/console/tickets/\(reference)/reply",
                form: ["_csrf": "forged", "body": "hello"]
            )
            #expect(forged.status == .forbidden && forged.text.contains("Reload the page"))
            let reply = try await browser.send(
                .post,
                "/console/tickets/\(reference)/reply",
                form: ["_csrf": csrf, "body": "Try <b>this</b>"]
            )
            #expect(reply.status == .seeOther)
            let after = try await browser.send(.get, reply.headers[.location]!)
            #expect(after.text.contains("Reply sent.") && after.text.contains("Try &lt;b&gt;this&lt;/b&gt;"))
            let empty = try await browser.send(
                .post,
                "/console/tickets/\(reference)/note",
                form: ["_csrf": csrf, "body": " "]
            )
            #expect(
                empty.status == .unprocessableContent
                    && empty.text.contains(#"<p class="error" id="note-body-error">Write the text to send.</p>"#)
            )
            let stale = try await browser.send(
                .post,
                "/console/tickets/\(reference)/status",
                form: ["_csrf": csrf, "version": "9", "status": "resolved", "comment": "Fixed by the <reboot>"]
            )
            #expect(stale.status == .conflict && stale.text.contains("changed by someone else"))
            // A change from a stale page is refused with the comment kept, escaped, for sending again.
            #expect(stale.text.contains(#">Fixed by the &lt;reboot&gt;</textarea>"#))
            // The timeline runs newest first, oldest first on asking.
            let newest = try await browser.send(.get, "/console/tickets/\(reference)")
            let oldest = try await browser.send(.get, "/console/tickets/\(reference)?order=oldest")
            #expect(newest.text.contains(#"href="/console/tickets/\#(reference)?order=oldest""#))
            #expect(oldest.text.contains("Oldest first"))
            let replied = newest.text.range(of: "Try &lt;b&gt;this&lt;/b&gt;")
            let opened = newest.text.range(of: "class=\"event created")
            #expect(replied != nil && opened != nil && replied!.lowerBound < opened!.lowerBound)
            let assign = try await browser.send(
                .post,
                "/console/tickets/\(reference)/assign",
                form: ["_csrf": csrf, "version": "1", "owner": f.people["lena"]!.id.uuidString, "group": "Desk"]
            )
            #expect(assign.status == .seeOther)
            let mine = try await browser.send(.get, "/console?mine=1")
            #expect(mine.text.contains(reference))
            let groupQueue = try await browser.send(.get, "/console?group=Desk")
            #expect(
                groupQueue.text.contains(
                    #"href="/console?group=Desk" aria-current="page">Desk <span class="count">1</span>"#
                )
            )
            #expect(groupQueue.text.contains(reference))
            #expect(!queue.text.contains("L1 · </td>"), "a ticket without a group shows no group separator")

            let logout = try await browser.send(.post, "/logout", form: ["_csrf": csrf])
            #expect(logout.headers[.location] == "/login")
            #expect(try await browser.send(.get, "/console").headers[.location] == "/login")
        }
    }

    @Test func requesterSeesOnlyTheirOrganisationInThePortal() async throws {
        try await ServerFixture.with { f in
            let alices = try await f.openTicket(as: "alice", title: "Acme printer")
            let carols = try await f.openTicket(as: "carol", title: "Globex invoice")
            var browser = Browser(fixture: f)
            #expect(try await browser.logIn("bob@example.com").headers[.location] == "/portal")
            let portal = try await browser.send(.get, "/portal")
            #expect(portal.text.contains(alices) && !portal.text.contains(carols))
            #expect(portal.text.contains(#"data-organisation="Acme""#))
            let hidden = try await browser.send(.get, "/portal/tickets/\(carols)")
            #expect(
                hidden.status == .notFound && hidden.text.contains("Not found") && hidden.text.contains(#"id="logout""#)
            )
            #expect(try await browser.send(.get, "/console").status == .forbidden)

            let form = try await browser.send(.get, "/portal/new")
            let csrf = try #require(Browser.csrf(in: form.text))
            let tooLong = try await browser.send(
                .post,
                "/portal/tickets",
                form: ["_csrf": csrf, "title": String(repeating: "x", count: 301), "description": "kept text"]
            )
            #expect(
                tooLong.status == .unprocessableContent && tooLong.text.contains("at most 300 characters")
                    && tooLong.text.contains("kept text")
            )
            let opened = try await browser.send(
                .post,
                "/portal/tickets",
                form: ["_csrf": csrf, "title": "Badge reader", "description": "Door 3 badge reader is dead"]
            )
            #expect(opened.status == .seeOther)
            let page = try await browser.send(.get, opened.headers[.location]!)
            #expect(page.text.contains("Badge reader") && page.text.contains("Ticket opened."))
            let replyCSRF = try #require(Browser.csrf(in: page.text))
            let reference = try #require(
                opened.headers[.location]?.split(separator: "/").last?.split(separator: "?").first.map(String.init)
            )
            let replied = try await browser.send(
                .post,
                "/portal/tickets/\(reference)/reply",
                form: ["_csrf": replyCSRF, "body": "It beeps <twice>"]
            )
            #expect(replied.status == .seeOther)
            let conversation = try await browser.send(.get, replied.headers[.location]!)
            #expect(conversation.text.contains("Reply sent.") && conversation.text.contains("It beeps &lt;twice&gt;"))
            let hiddenReply = try await browser.send(
                .post,
                "/portal/tickets/\(carols)/reply",
                form: ["_csrf": replyCSRF, "body": "peek"]
            )
            #expect(hiddenReply.status == .notFound)

            // The requester's filters: the ticket waiting for their answer, and the open ones.
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(alices)/status",
                as: "lena",
                json: #"{"version": 1, "status": "pending_customer", "comment": "Which printer?"}"#
            )
            let waiting = try await browser.send(.get, "/portal?show=waiting")
            #expect(waiting.text.contains(#"href="/portal?show=waiting" aria-current="page">Waiting for you"#))
            #expect(waiting.text.contains(alices) && !waiting.text.contains(reference))
            let open = try await browser.send(.get, "/portal?show=open")
            #expect(open.text.contains(alices) && open.text.contains(reference))
            let done = try await browser.send(.get, "/portal?show=done")
            #expect(!done.text.contains(alices) && done.text.contains("No tickets match."))

            // Files: a screenshot with a new ticket, a log with a reply; too many are refused, the text kept.
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
            // An empty file opens nothing: the form comes back with the refusal by the file input.
            let before = try await f.components.tickets.highestNumber()
            let emptyFile = try await browser.upload(
                "/portal/tickets",
                fields: ["_csrf": csrf, "title": "Blank screenshot", "description": "Kept description"],
                files: [("files", "blank.png", "image/png", Data())]
            )
            #expect(emptyFile.status == .unprocessableContent)
            #expect(emptyFile.text.contains(#"id="files-error">The file blank.png is empty."#))
            #expect(
                emptyFile.text.contains(#"value="Blank screenshot""#) && emptyFile.text.contains("Kept description")
            )
            #expect(try await f.components.tickets.highestNumber() == before)
            let withFile = try await browser.upload(
                "/portal/tickets",
                fields: ["_csrf": csrf, "title": "Scanner shows an error", "description": "See the screenshot"],
                files: [("files", "screen.png", "image/png", png)]
            )
            #expect(withFile.status == .seeOther)
            let shown = try await browser.send(.get, withFile.headers[.location]!)
            #expect(shown.text.contains(#">screen.png</a>"#) && shown.text.contains(#"id="reply-files""#))
            let fileReference = try #require(
                withFile.headers[.location]?.split(separator: "/").last?.split(separator: "?").first.map(String.init)
            )
            let tooMany = try await browser.upload(
                "/portal/tickets/\(fileReference)/reply",
                fields: ["_csrf": csrf, "body": "Six logs"],
                files: (0..<6).map { ("files", "log\($0).txt", "text/plain", Data("x".utf8)) }
            )
            #expect(tooMany.status == .unprocessableContent && tooMany.text.contains(">Six logs</textarea>"))
            #expect(tooMany.text.contains(#"id="reply-error">Attach at most 5 files at once."#))
            let logged = try await browser.upload(
                "/portal/tickets/\(fileReference)/reply",
                fields: ["_csrf": csrf, "body": "And the log"],
                files: [("files", "app.log", "text/plain", Data("ERROR".utf8))]
            )
            #expect(logged.status == .seeOther)
            let both = try await browser.send(.get, "/portal/tickets/\(fileReference)")
            #expect(both.text.contains(#">screen.png</a>"#) && both.text.contains(#">app.log</a>"#))
            // Newest first: the reply comes before the opening.
            let reply = both.text.range(of: "And the log")
            let description = both.text.range(of: "class=\"event created")
            #expect(reply != nil && description != nil && reply!.lowerBound < description!.lowerBound)
        }
    }

    @Test func theHeaderSearchFindsTicketsByWordsReferenceAndNameWithinWhatEachMaySee() async throws {
        try await ServerFixture.with { f in
            let alices = try await f.openTicket(as: "alice", title: "Label printer offline at dock 4")
            let carols = try await f.openTicket(as: "carol", title: "Label printer offline in Globex hall")
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(alices)/notes",
                as: "lena",
                json: #"{"body": "Firmware 7731 suspected"}"#
            )
            var agent = Browser(fixture: f)
            _ = try await agent.logIn("lena@example.com")
            let console = try await agent.send(.get, "/console")
            #expect(console.text.contains(#"<form class="search" role="search" method="get" action="/console">"#))
            #expect(console.text.contains(#"<label for="search-q""#))
            let words = try await agent.send(.get, "/console?status=any&q=printer+offl")
            #expect(words.text.contains("Search results for “printer offl”"))
            #expect(words.text.contains(">\(alices)</a>") && words.text.contains(">\(carols)</a>"))
            let note = try await agent.send(.get, "/console?status=any&q=firmware")
            #expect(note.text.contains(">\(alices)</a>") && !note.text.contains(">\(carols)</a>"))
            let byReference = try await agent.send(.get, "/console?status=any&q=\(carols.lowercased())")
            #expect(byReference.text.contains(">\(carols)</a>") && !byReference.text.contains(">\(alices)</a>"))
            let byName = try await agent.send(.get, "/console?status=any&q=Globex")
            #expect(byName.text.contains(">\(carols)</a>") && !byName.text.contains(">\(alices)</a>"))

            var requester = Browser(fixture: f)
            _ = try await requester.logIn("bob@example.com")
            let portal = try await requester.send(.get, "/portal")
            #expect(portal.text.contains(#"action="/portal">"#))
            let mine = try await requester.send(.get, "/portal?q=label+printer")
            #expect(mine.text.contains("Search results for “label printer”"))
            #expect(mine.text.contains(alices) && !mine.text.contains(carols))
            #expect(!(try await requester.send(.get, "/portal?q=firmware")).text.contains(alices))
            #expect(!(try await requester.send(.get, "/portal?q=\(carols)")).text.contains(">\(carols)</a>"))
        }
    }

    @Test func loginsAreThrottledPerAccount() async throws {
        try await ServerFixture.with { f in
            var browser = Browser(fixture: f)
            for _ in 0..<5 {
                let wrong = try await browser.logIn("lena@example.com", password: "wrong password!")
                #expect(
                    wrong.status == .unauthorized && wrong.text.contains("The e-mail address or the password is wrong.")
                )
            }
            let locked = try await browser.logIn("lena@example.com")
            #expect(locked.status == .tooManyRequests && locked.text.contains("Too many failed logins"))
            let unknown = try await browser.logIn("nobody@example.com")
            #expect(unknown.status == .unauthorized)
            #expect(try await browser.logIn("omar@example.com").status == .seeOther)
        }
    }

    @Test func loginFormNeedsItsCSRFCookie() async throws {
        try await ServerFixture.with { f in
            var browser = Browser(fixture: f)
            let response = try await browser.send(
                .post,
                "/login",
                form: ["_csrf": "guess", "email": "lena@example.com", "password": ServerFixture.password]
            )
            #expect(response.status == .forbidden && response.text.contains("expired"))
        }
    }

    @Test func sessionCookieAPIWritesNeedTheCSRFHeader() async throws {
        try await ServerFixture.with { f in
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let read = try await f.call(.get, "/api/v1/me", headers: [.cookie: cookie])
            #expect(read.status == .ok)
            let write = try await f.call(
                .post,
                "/api/v1/tickets",
                json: #"{"title": "a", "description": "b"}"#,
                headers: [.cookie: cookie]
            )
            #expect(write.status == .forbidden)
            let page = try await browser.send(.get, "/console")
            let csrf = try #require(Browser.csrf(in: page.text))
            let allowed = try await f.call(
                .post,
                "/api/v1/tickets",
                json: #"{"title": "a", "description": "b"}"#,
                headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf]
            )
            #expect(allowed.status == .created)
        }
    }

    @Test func unknownPagesAreReadable404s() async throws {
        try await ServerFixture.with { f in
            let page = try await f.call(.get, "/nowhere")
            #expect(page.status == .notFound && page.headers[.contentType]?.hasPrefix("text/html") == true)
            let api = try await f.call(.get, "/api/v1/nowhere", as: "lena")
            #expect(api.status == .notFound && api.headers[.contentType] == "application/problem+json")
            #expect(try await f.call(.get, "/health").text == "ok\n")
        }
    }

    @Test func readyOnlyOnceEveryMigrationHasRun() async throws {
        try await ServerFixture.with { f in
            let ready = try await f.call(.get, "/ready")
            #expect(ready.status == .ok && ready.text == "ready\n")
            #expect(try await f.components.database.pendingMigrations().isEmpty)
            // A database an older release left behind: the newest migration has not run.
            try await f.components.database.sql.delete(from: "_fluent_migrations")
                .where("name", .equal, "M022_IndexOpenQueues").run()
            let behind = try await f.call(.get, "/ready")
            #expect(behind.status == .serviceUnavailable && behind.text.contains("M022_IndexOpenQueues"))
        }
    }
}

/// The portal's timeline in the customer's words.
struct PortalTimelineTests {
    @Test func theRequesterReadsStatusesInTheirWordsAndNoInternals() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            let lena = try #require(f.people["lena"]).actor
            let desk = f.components.ticketDesk
            var version = try await desk.ticket(reference, for: lena).0.version
            var changes = TicketChanges()
            changes.group = .some("Network team")
            version = try await desk.update(reference, with: changes, expectedVersion: version, by: lena).version
            version =
                try await desk.changeStatus(
                    reference,
                    to: .acknowledged,
                    comment: nil,
                    expectedVersion: version,
                    by: lena
                )
                .version
            _ = try await desk.changeStatus(reference, to: .onHold, comment: nil, expectedVersion: version, by: lena)

            var browser = Browser(fixture: f)
            _ = try await browser.logIn("alice@example.com")
            let portal = try await browser.send(.get, "/portal/tickets/\(reference)").text
            #expect(portal.contains("received → acknowledged"))
            #expect(portal.contains("acknowledged → waiting for a third party"))
            #expect(!portal.contains("on_hold") && !portal.contains("Network team") && !portal.contains("group"))

            // Staff keep the desk's own words.
            var agent = Browser(fixture: f)
            _ = try await agent.logIn("lena@example.com")
            let console = try await agent.send(.get, "/console/tickets/\(reference)").text
            #expect(console.contains("Network team") && console.contains("on_hold"))
        }
    }
}
