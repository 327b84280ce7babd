import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Canned responses and macros in the console: personal and shared, put into the reply box or applied.
struct ResponseTemplateTests {
    /// The value of the first `<option>` whose label starts with `label`.
    static func option(_ label: String, in html: String) -> String? {
        guard let end = html.range(of: "\">\(label)") else { return nil }
        let before = html[..<end.lowerBound]
        guard let start = before.range(of: "value=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...])
    }

    @Test func anAgentsCannedResponseFillsTheReplyBoxAndStaysTheirs() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let list = try await lena.send(.get, "/console/templates")
            let csrf = try #require(Browser.csrf(in: list.text))
            let refused = try await lena.send(
                .post,
                "/console/templates",
                form: ["_csrf": csrf, "name": "Spooler", "body": "Hello {customer}"]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Uses {customer}, which is not a placeholder"))
            #expect(refused.text.contains(">Hello {customer}</textarea>"), "the typed text is kept")
            let shared = try await lena.send(
                .post,
                "/console/templates",
                form: ["_csrf": csrf, "name": "Everyone", "body": "Hi", "shared": "1"]
            )
            #expect(shared.status == .forbidden)
            let saved = try await lena.send(
                .post,
                "/console/templates",
                form: [
                    "_csrf": csrf, "name": "Spooler",
                    "body":
                        "Hello {requester_first_name},\n{reference} ({title}): please restart the spooler.\n{agent}",
                ]
            )
            #expect(saved.status == .seeOther && saved.headers[.location] == "/console/templates?notice=created")

            let page = try await lena.send(.get, "/console/tickets/\(reference)").text
            let id = try #require(Self.option("Spooler", in: page))
            let filled = try await lena.send(
                .post,
                "/console/tickets/\(reference)/template",
                form: ["_csrf": csrf, "template": id, "use": "insert"]
            )
            #expect(filled.status == .ok)
            #expect(
                filled.text.contains(
                    ">Hello Alice,\n\(reference) (Label printer offline): please restart the spooler.\nLena</textarea>"
                )
            )
            let ticket = try #require(
                try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
            )
            #expect(
                try await f.components.tickets.events(ticketID: ticket.id, includeInternal: true).count == 1,
                "nothing sent"
            )

            // Omar neither lists nor uses Lena's template; a requester has none.
            var omar = Browser(fixture: f)
            _ = try await omar.logIn("omar@example.com")
            let omarPage = try await omar.send(.get, "/console/tickets/\(reference)").text
            #expect(!omarPage.contains("Spooler"))
            let omarCSRF = try #require(Browser.csrf(in: omarPage))
            let borrowed = try await omar.send(
                .post,
                "/console/tickets/\(reference)/template",
                form: ["_csrf": omarCSRF, "template": id, "use": "apply"]
            )
            #expect(borrowed.status == .notFound)
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let theirs = try await alice.send(.get, "/console/templates")
            #expect(theirs.status == .notFound || theirs.status == .forbidden || theirs.status == .seeOther)
        }
    }

    @Test func aSharedMacroRepliesAndChangesTheTicketInOneStepOrNotAtAll() async throws {
        try await ServerFixture.with { f in
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let csrf = try #require(Browser.csrf(in: try await admin.send(.get, "/console/templates").text))
            let saved = try await admin.send(
                .post,
                "/console/templates",
                form: [
                    "_csrf": csrf, "name": "Solved", "body": "Dear {requester}, {reference} is solved.",
                    "status": "resolved", "group": "Service Desk", "assignToMe": "1", "shared": "1",
                ]
            )
            #expect(saved.status == .seeOther)
            let reference = try await f.openTicket(as: "alice")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let page = try await lena.send(.get, "/console/tickets/\(reference)").text
            let id = try #require(Self.option("Solved (macro)", in: page))
            let lenaCSRF = try #require(Browser.csrf(in: page))
            let applied = try await lena.send(
                .post,
                "/console/tickets/\(reference)/template",
                form: ["_csrf": lenaCSRF, "template": id, "use": "apply"]
            )
            #expect(
                applied.status == .seeOther
                    && applied.headers[.location] == "/console/tickets/\(reference)?notice=template"
            )
            let number = TicketReference.number(in: reference)!
            let ticket = try #require(try await f.components.tickets.find(number: number))
            #expect(
                ticket.status == .resolved && ticket.ownerID == f.people["lena"]!.id && ticket.group == "Service Desk"
            )
            let reply = try #require(
                try await f.components.tickets.events(ticketID: ticket.id, includeInternal: true)
                    .last { $0.kind == .publicReply }
            )
            #expect(reply.body == "Dear Alice, \(reference) is solved." && reply.actorID == f.people["lena"]!.id)

            // Closed, the ticket cannot be resolved again: the macro is refused and changes nothing.
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/status",
                as: "lena",
                json: #"{"status":"closed","version":\#(ticket.version)}"#
            )
            let closed = try #require(try await f.components.tickets.find(number: number))
            let before = try await f.components.tickets.events(ticketID: ticket.id, includeInternal: true).count
            let refused = try await lena.send(
                .post,
                "/console/tickets/\(reference)/template",
                form: ["_csrf": lenaCSRF, "template": id, "use": "apply"]
            )
            #expect(refused.status == .conflict && refused.text.contains("Solved sets the status to resolved"))
            #expect(try await f.components.tickets.events(ticketID: ticket.id, includeInternal: true).count == before)
            #expect(try await f.components.tickets.find(number: number) == closed)
        }
    }
}
