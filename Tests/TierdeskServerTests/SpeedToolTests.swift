import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Saved queue views (each person's own, named, one click away on every queue page) and links between tickets.
struct SpeedToolTests {
    @Test func aSavedViewIsTheSavedFiltersOneClickAwayForItsOwnerOnly() async throws {
        try await ServerFixture.with { f in
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let queue = try await lena.send(.get, "/console/queue?tier=L1&priority=P1").text
            #expect(queue.contains(#"name="address" value="/console/queue?tier=L1&amp;priority=P1""#))
            let csrf = try #require(Browser.csrf(in: queue))
            let saved = try await lena.send(
                .post,
                "/console/views",
                form: ["_csrf": csrf, "name": "My P1s", "address": "/console/queue?tier=L1&priority=P1"]
            )
            #expect(saved.status == .seeOther && saved.headers[.location] == "/console/queue?tier=L1&priority=P1")
            let again = try await lena.send(.get, "/console/queue?tier=L1&priority=P1").text
            #expect(
                again.contains(
                    #"<a class="saved-view" href="/console/queue?tier=L1&amp;priority=P1" aria-current="page">My P1s</a>"#
                )
            )
            #expect(again.contains("Remove the view My P1s"))
            let elsewhere = try await lena.send(.get, "/console").text
            #expect(elsewhere.contains(">My P1s</a>") && !elsewhere.contains("Remove the view"))

            let foreign = try await lena.send(
                .post,
                "/console/views",
                form: ["_csrf": csrf, "name": "Away", "address": "https://evil.example/console"]
            )
            #expect(foreign.status == .unprocessableContent && foreign.text.contains("The view was not saved"))

            var omar = Browser(fixture: f)
            _ = try await omar.logIn("omar@example.com")
            #expect(!(try await omar.send(.get, "/console").text.contains("My P1s")))
            let view = try #require(
                try await SavedViewRepository(f.components.database).views(of: f.people["lena"]!.id).first
            )
            let omarCSRF = try #require(Browser.csrf(in: try await omar.send(.get, "/console").text))
            let stolen = try await omar.send(.post, "/console/views/\(view.id)/delete", form: ["_csrf": omarCSRF])
            #expect(stolen.status == .notFound)
            let removed = try await lena.send(.post, "/console/views/\(view.id)/delete", form: ["_csrf": csrf])
            #expect(removed.status == .seeOther)
            #expect(!(try await lena.send(.get, "/console").text.contains("My P1s")))
        }
    }

    @Test func agentsLinkTicketsFromTheTicketPageAndRemoveTheLink() async throws {
        try await ServerFixture.with { f in
            let first = try await f.openTicket(as: "alice", title: "ERP export fails")
            let second = try await f.openTicket(as: "carol", title: "ERP interface down")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let page = try await lena.send(.get, "/console/tickets/\(first)").text
            let csrf = try #require(Browser.csrf(in: page))
            let linked = try await lena.send(
                .post,
                "/console/tickets/\(first)/link",
                form: ["_csrf": csrf, "kind": "depends_on", "target": second]
            )
            #expect(linked.status == .seeOther)
            let from = try await lena.send(.get, "/console/tickets/\(first)").text
            #expect(from.contains("Depends on <a href=\"/console/tickets/\(second)\">\(second)</a>"))
            let to = try await lena.send(.get, "/console/tickets/\(second)").text
            #expect(to.contains("Needed by <a href=\"/console/tickets/\(first)\">\(first)</a>"))
            let itself = try await lena.send(
                .post,
                "/console/tickets/\(first)/link",
                form: ["_csrf": csrf, "kind": "refers_to", "target": first]
            )
            #expect(itself.status == .unprocessableContent && itself.text.contains("cannot link to itself"))
            let duplicate = try await lena.send(
                .post,
                "/console/tickets/\(first)/link",
                form: ["_csrf": csrf, "kind": "duplicate_of", "target": second]
            )
            #expect(duplicate.status == .unprocessableContent)
            // The requester's portal never shows links; removing it from the other end works too.
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            #expect(!(try await alice.send(.get, "/portal/tickets/\(first)").text.contains(second)))
            let removed = try await lena.send(
                .post,
                "/console/tickets/\(second)/unlink",
                form: ["_csrf": csrf, "kind": "depends_on", "other": first]
            )
            #expect(removed.status == .seeOther)
            #expect(!(try await lena.send(.get, "/console/tickets/\(first)").text.contains("Depends on")))
        }
    }
}
