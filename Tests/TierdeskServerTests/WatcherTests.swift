import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Watchers follow a ticket: they are notified when someone else works on it.
struct WatcherTests {
    @Test func watchersAreToldWhatOthersDoAndNotWhatTheyDo() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let page = try await lena.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("Watch this ticket"))
            let csrf = try #require(Browser.csrf(in: page.text))
            let lenaID = f.people["lena"]!.id
            let omarID = f.people["omar"]!.id
            let watched = try await lena.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": csrf, "person": lenaID.uuidString, "watch": "1"]
            )
            #expect(watched.headers[.location] == "/console/tickets/\(reference)?notice=watching")
            let added = try await lena.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": csrf, "person": omarID.uuidString, "watch": "1"]
            )
            #expect(added.status == .seeOther)
            let shown = try await lena.send(.get, "/console/tickets/\(reference)").text
            #expect(shown.contains("Remove Omar") && !shown.contains("Watch this ticket"))

            #expect(
                try await f.call(.post, "/api/v1/tickets/\(reference)/replies", as: "omar", json: #"{"body":"On it"}"#)
                    .status == .created
            )
            let lenaNews = try await f.components.notifications.list(personID: lenaID)
            #expect(lenaNews.map(\.message) == ["\(reference): Omar replied (Label printer offline)"])
            #expect(lenaNews.first?.kind == .ticketActivity)
            #expect(try await f.components.notifications.list(personID: omarID).isEmpty, "not told of their own reply")
            let list = try await lena.send(.get, "/console/notifications").text
            #expect(list.contains("Omar replied"))
            #expect(
                try await f.call(.get, "/api/v1/notifications", as: "lena").text
                    .contains("\"kind\":\"ticket_activity\"")
            )

            // Omar stops watching; a requester's reply reaches Lena only.
            var omar = Browser(fixture: f)
            _ = try await omar.logIn("omar@example.com")
            let omarCSRF = try #require(Browser.csrf(in: try await omar.send(.get, "/console").text))
            _ = try await omar.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": omarCSRF, "person": omarID.uuidString, "watch": "0"]
            )
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/replies",
                as: "alice",
                json: #"{"body":"Thanks"}"#
            )
            #expect(try await f.components.notifications.list(personID: lenaID).count == 2)
            #expect(try await f.components.notifications.list(personID: omarID).isEmpty)

            // Requesters cannot watch, and nobody adds a requester.
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let aliceCSRF = try #require(Browser.csrf(in: try await alice.send(.get, "/portal").text))
            let refused = try await alice.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": aliceCSRF, "person": f.people["alice"]!.id.uuidString, "watch": "1"]
            )
            #expect(refused.status == .forbidden)
            let requester = try await lena.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": csrf, "person": f.people["bob"]!.id.uuidString, "watch": "1"]
            )
            #expect(requester.status == .unprocessableContent && requester.text.contains("active member of staff"))
        }
    }
}
