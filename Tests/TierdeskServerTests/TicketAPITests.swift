import Foundation
import HTTPTypes
import NIOCore
import Testing
import TierdeskCore

@testable import TierdeskServer

@Suite struct TicketAPITests {
    @Test func titleAndDescriptionOpenATicketWithDocumentedDefaults() async throws {
        try await ServerFixture.with { f in
            let created = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "Printer jam", "description": "Line 2 printer jams."}"#
            )
            #expect(created.status == .created)
            let ticket = try created.decoded(as: TicketDTO.self)
            #expect(ticket.reference == "TD-1001")
            #expect(created.headers[.location] == "/api/v1/tickets/TD-1001")
            #expect(ticket.requesterId == f.people["alice"]!.id && ticket.organisationId == f.acme.id)
            #expect(ticket.type == "incident" && ticket.channel == "api")
            #expect(ticket.priority == "P3" && ticket.severity == "Sev3")
            #expect(ticket.status == "new" && ticket.tier == "L1" && ticket.version == 1)
            #expect(ticket.ownerId == nil && ticket.serviceId == nil)
            // Empty fields are written as null, not left out, as the document promises.
            #expect(try created.json()["ownerId"] is NSNull)
            #expect(ticket.createdAt == "2026-09-21T14:13:20Z")

            let fetched = try await f.call(.get, "/api/v1/tickets/TD-1001", as: "alice")
            #expect(fetched.status == .ok)
            #expect(try fetched.decoded(as: TicketDTO.self).title == "Printer jam")
            #expect(try await f.call(.get, "/api/v1/tickets/td-1001", as: "lena").status == .ok)
        }
    }

    @Test func agentsOpenTicketsForRequestersWithPriorityFromTheMatrix() async throws {
        try await ServerFixture.with { f in
            let alice = f.people["alice"]!.id.uuidString
            let created = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json:
                    #"{"title": "Line 3 stopped", "description": "Line utilisation 0 %", "impact": "high", "urgency": "high", "requesterId": "\#(alice)", "channel": "phone", "requestedBy": "2026-09-22T08:00:00+02:00"}"#
            )
            #expect(created.status == .created)
            let ticket = try created.decoded(as: TicketDTO.self)
            #expect(ticket.priority == "P1" && ticket.severity == "Sev1")
            #expect(ticket.organisationId == f.acme.id)
            #expect(ticket.requestedBy == "2026-09-22T06:00:00Z")
            let mine = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "lena",
                json: #"{"title": "Laptop", "description": "Fan noise"}"#
            )
            #expect(try mine.decoded(as: TicketDTO.self).organisationId == Organisation.internalID)
        }
    }

    @Test func badInputGetsAClearProblemAndChangesNothing() async throws {
        try await ServerFixture.with { f in
            struct Case {
                var body: ByteBuffer
                var contentType: String = "application/json"
                var status: HTTPResponse.Status
                var field: String?
                var detail: String
            }
            let cases: [Case] = [
                Case(
                    body: ByteBuffer(string: #"{"title": "x", "description": "#),
                    status: .badRequest,
                    field: nil,
                    detail: "not valid JSON"
                ),
                Case(
                    body: ByteBuffer(string: #"{"title": 42, "description": "x"}"#),
                    status: .badRequest,
                    field: "title",
                    detail: "title must be a string"
                ),
                Case(
                    body: ByteBuffer(string: #"{"description": "x"}"#),
                    status: .badRequest,
                    field: "title",
                    detail: "title is required"
                ),
                Case(
                    body: ByteBuffer(string: #"{"title": "x", "description": "y", "type": "bug"}"#),
                    status: .badRequest,
                    field: "type",
                    detail: "must be one of incident, service_request, problem, alert"
                ),
                Case(
                    body: ByteBuffer(string: #"{"title": "x", "description": "y", "requestedBy": "soon"}"#),
                    status: .badRequest,
                    field: "requestedBy",
                    detail: "RFC 3339"
                ),
                Case(
                    body: ByteBuffer(
                        string: #"{"title": "\#(String(repeating: "t", count: 301))", "description": "y"}"#
                    ),
                    status: .unprocessableContent,
                    field: "title",
                    detail: "at most 300 characters"
                ),
                Case(
                    body: ByteBuffer(
                        string: #"{"title": "x", "description": "\#(String(repeating: "d", count: 1_048_577))"}"#
                    ),
                    status: .unprocessableContent,
                    field: "description",
                    detail: "at most 1048576 bytes"
                ),
                Case(
                    body: ByteBuffer(
                        bytes: Array(#"{"title": "caf"#.utf8) + [0xC3, 0x28] + Array(#"", "description": "y"}"#.utf8)
                    ),
                    status: .badRequest,
                    field: nil,
                    detail: "not valid UTF-8"
                ),
                Case(
                    body: ByteBuffer(string: "title=x"),
                    contentType: "application/x-www-form-urlencoded",
                    status: .unsupportedMediaType,
                    field: nil,
                    detail: "application/json"
                ),
                Case(
                    body: ByteBuffer(
                        string: #"{"title": "x", "description": "y", "serviceId": "\#(UUID().uuidString)"}"#
                    ),
                    status: .unprocessableContent,
                    field: "serviceId",
                    detail: "no service has the id"
                ),
                Case(
                    body: ByteBuffer(string: #"{"title": "x", "description": "y", "severity": "Sev1"}"#),
                    status: .forbidden,
                    field: nil,
                    detail: "Only agents and managers"
                ),
            ]
            for item in cases {
                let response = try await f.call(
                    .post,
                    "/api/v1/tickets",
                    as: "alice",
                    body: item.body,
                    headers: [.contentType: item.contentType]
                )
                #expect(response.status == item.status, "\(item.detail): \(response.text.prefix(300))")
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.json()
                #expect(
                    (problem["detail"] as? String ?? "").contains(item.detail)
                        || (problem["errors"] as? [[String: Any]] ?? [])
                            .contains { ($0["message"] as? String ?? "").contains(item.detail) },
                    "\(item.detail) not in \(response.text.prefix(300))"
                )
                if let field = item.field { #expect(try response.problemFields() == [field]) }
                #expect(problem["status"] as? Int == Int(item.status.code))
            }
            let list = try await f.call(.get, "/api/v1/tickets", as: "admin")
            #expect(try list.decoded(as: TicketPageDTO.self).items.isEmpty)
        }
    }

    @Test func authenticationFailuresAre401() async throws {
        try await ServerFixture.with { f in
            let anonymous = try await f.call(.get, "/api/v1/tickets")
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] == "Bearer")
            let forged = try await f.call(.get, "/api/v1/tickets", headers: [.authorization: "Bearer tdk_not-a-token"])
            #expect(forged.status == .unauthorized)
            #expect(try forged.json()["detail"] as? String == "The API token is not valid or has been revoked.")
            let basic = try await f.call(.get, "/api/v1/tickets", headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func anotherOrganisationsTicketIsNotFound() async throws {
        try await ServerFixture.with { f in
            let alices = try await f.openTicket(as: "alice")
            let carols = try await f.openTicket(as: "carol", title: "Globex invoice")
            let hidden = try await f.call(.get, "/api/v1/tickets/\(alices)", as: "carol")
            #expect(hidden.status == .notFound)
            let missing = try await f.call(.get, "/api/v1/tickets/TD-99999", as: "carol")
            #expect(
                try hidden.json()["detail"] as? String
                    == (try missing.json()["detail"] as? String)?.replacingOccurrences(of: "TD-99999", with: alices)
            )
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(alices)/replies", as: "carol", json: #"{"body": "hi"}"#)
                    .status == .notFound
            )
            #expect(try await f.call(.get, "/api/v1/tickets/\(alices)/events", as: "carol").status == .notFound)
            // Acme shares tickets between its requesters; Globex does not.
            #expect(try await f.call(.get, "/api/v1/tickets/\(alices)", as: "bob").status == .ok)
            let carolsList = try await f.call(.get, "/api/v1/tickets", as: "carol")
            #expect(try carolsList.decoded(as: TicketPageDTO.self).items.map(\.reference) == [carols])
            #expect(try await f.call(.get, "/api/v1/tickets/not-a-reference", as: "lena").status == .notFound)
        }
    }

    @Test func staleVersionsAreRefusedWith409() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let first = try await f.call(
                .patch,
                "/api/v1/tickets/\(reference)",
                as: "lena",
                json: #"{"version": 1, "impact": "high", "group": "Service desk"}"#
            )
            #expect(first.status == .ok)
            let changed = try first.decoded(as: TicketDTO.self)
            #expect(changed.version == 2 && changed.priority == "P2")
            let stale = try await f.call(
                .patch,
                "/api/v1/tickets/\(reference)",
                as: "omar",
                json: #"{"version": 1, "title": "Overwrite"}"#
            )
            #expect(stale.status == .conflict)
            #expect((try stale.json()["detail"] as? String ?? "").contains("changed by someone else"))
            let status = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/status",
                as: "lena",
                json: #"{"version": 2, "status": "in_progress"}"#
            )
            #expect(status.status == .ok)
            let cleared = try await f.call(
                .patch,
                "/api/v1/tickets/\(reference)",
                as: "lena",
                json: #"{"version": 3, "group": null}"#
            )
            #expect(try cleared.json()["group"] is NSNull)
            let forbidden = try await f.call(
                .patch,
                "/api/v1/tickets/\(reference)",
                as: "alice",
                json: #"{"version": 4, "impact": "high"}"#
            )
            #expect(forbidden.status == .forbidden)
            let events = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena")
            let list = try JSONSerialization.jsonObject(with: Data(buffer: events.body)) as! [[String: Any]]
            #expect(
                list.map {
                    "\($0["field"] as? String ?? "-"):\($0["before"] as? String ?? "-")→\($0["after"] as? String ?? "-")"
                } == [
                    "-:-→\(reference)", "impact:medium→high", "priority:P3→P2", "severity:Sev3→Sev2",
                    "group:-→Service desk", "status:new→in_progress", "group:Service desk→-",
                ]
            )
        }
    }

    @Test func notesStayInternalAndCorrectionsNeedL2() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(reference)/replies",
                        as: "lena",
                        json: #"{"body": "Please restart the printer."}"#
                    )
                    .status == .created
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(reference)/notes",
                        as: "lena",
                        json: #"{"body": "Known firmware bug."}"#
                    )
                    .status == .created
            )
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(reference)/notes", as: "alice", json: #"{"body": "sneaky"}"#)
                    .status == .forbidden
            )
            let correction =
                #"{"target": "ERP order 4711", "change": "routing 2 → 3", "reason": "wrong routing released"}"#
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(reference)/corrections", as: "lena", json: correction).status
                    == .forbidden
            )
            let made = try await f.call(.post, "/api/v1/tickets/\(reference)/corrections", as: "omar", json: correction)
            #expect(try made.status == .created && (made.json()["kind"] as? String) == "data_correction")
            func kinds(_ who: String) async throws -> [String] {
                let response = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: who)
                return (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [[String: Any]])
                    .compactMap { $0["kind"] as? String }
            }
            #expect(try await kinds("lena") == ["created", "public_reply", "internal_note", "data_correction"])
            #expect(try await kinds("alice") == ["created", "public_reply"])
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(reference)/replies", as: "alice", json: #"{"body": ""}"#)
                    .status == .unprocessableContent
            )
        }
    }

    @Test func listsFilterAndPageWithCursors() async throws {
        try await ServerFixture.with { f in
            for index in 1...5 {
                _ = try await f.openTicket(as: index == 3 ? "carol" : "alice", title: "Ticket \(index)")
            }
            var seen: [String] = []
            var uri = "/api/v1/tickets?limit=2"
            for _ in 0..<5 {
                let page = try await f.call(.get, uri, as: "lena").decoded(as: TicketPageDTO.self)
                seen += page.items.map(\.title)
                guard let cursor = page.nextCursor else { break }
                uri = "/api/v1/tickets?limit=2&cursor=\(cursor)"
            }
            #expect(seen == ["Ticket 5", "Ticket 4", "Ticket 3", "Ticket 2", "Ticket 1"])
            let filtered =
                try await f.call(
                    .get,
                    "/api/v1/tickets?organisation=\(f.globex.id.uuidString)&status=new&tier=L1&priority=P3&owner=none&q=ticket",
                    as: "lena"
                )
                .decoded(as: TicketPageDTO.self)
            #expect(filtered.items.map(\.title) == ["Ticket 3"])
            for bad in [
                "limit=0", "limit=201", "status=open", "owner=somebody", "cursor=abc", "tier=L9",
                "q=\(String(repeating: "q", count: 201))",
            ] {
                let response = try await f.call(.get, "/api/v1/tickets?\(bad)", as: "lena")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try response.problemFields().count == 1)
            }
        }
    }

    @Test func aPlusInTheQueryIsASpaceAsFormsSendIt() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            let found = try await f.call(.get, "/api/v1/tickets?q=label+printer", as: "lena")
            #expect(try found.decoded(as: TicketPageDTO.self).items.map(\.reference) == [reference])
            // A literal plus is punctuation between two words, which are searched as words.
            let literal = try await f.call(.get, "/api/v1/tickets?q=label%2Bprinter", as: "lena")
            #expect(try literal.decoded(as: TicketPageDTO.self).items.map(\.reference) == [reference])
            let search = try await f.call(.get, "/api/v1/tickets?q=label%2Bprinter&cursor=n1000", as: "lena")
                .decoded(as: TicketPageDTO.self)
            #expect(search.items.map(\.reference) == [reference] && search.nextCursor == nil)
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console?q=label+printer")
            #expect(page.text.contains("value=\"label printer\""))
            #expect(page.text.contains(">\(reference)</a>"))
        }
    }

    @Test func attachmentsAreServedSafely() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let html = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/attachments?filename=..%2F..%2Fevil%22.html",
                as: "alice",
                body: ByteBuffer(string: "<script>alert(1)</script>"),
                headers: [.contentType: "text/html"]
            )
            #expect(html.status == .created)
            let info = try html.json()
            #expect(info["filename"] as? String == "evil.html")
            let id = try #require(info["id"] as? String)
            let download = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments/\(id)", as: "lena")
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"evil.html\"") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(download.text == "<script>alert(1)</script>")
            let png = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/attachments?filename=screen.png",
                as: "alice",
                body: ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47]),
                headers: [.contentType: "image/png"]
            )
            let pngID = try #require(try png.json()["id"] as? String)
            let image = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments/\(pngID)", as: "alice")
            #expect(
                image.headers[.contentType] == "image/png"
                    && image.headers[.contentDisposition]?.hasPrefix("inline") == true
            )
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(reference)/attachments/\(pngID)", as: "carol").status
                    == .notFound
            )
            let tooBig = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/attachments?filename=big.bin",
                as: "alice",
                body: ByteBuffer(repeating: 1, count: 10 * 1024 * 1024 + 1)
            )
            #expect(tooBig.status == .contentTooLarge)
            #expect(
                try await f
                    .call(.post, "/api/v1/tickets/\(reference)/attachments", as: "alice", body: ByteBuffer(string: "x"))
                    .status == .badRequest
            )
            // A form upload would keep its boundaries as the file: refused, nothing stored.
            let form = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/attachments?filename=form.txt",
                as: "alice",
                body: ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n--b--\r\n"),
                headers: [.contentType: "multipart/form-data; boundary=b"]
            )
            #expect(form.status == .unsupportedMediaType)
            let listed = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments", as: "alice")
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as! [Any]).count == 2)
        }
    }
}
