import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Working a ticket together in the console: the live feed, who else has a ticket open, and changes made
/// from a page others changed since it was shown.
struct LiveConsoleTests {
    /// The `seen` mark of the page's reply form.
    static func seen(in html: String) -> String? {
        guard let range = html.range(of: #"name="seen" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func aReplyFromAPageOthersChangedIsRefusedWithTheirChangeShownAndTheTextKept() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let page = try await lena.send(.get, "/console/tickets/\(reference)").text
            let seen = try #require(Self.seen(in: page))
            let csrf = try #require(Browser.csrf(in: page))
            // Omar answers the requester while Lena's page stands open.
            let omar = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/replies",
                as: "omar",
                json: #"{"body":"Restarted the print spooler.\nPlease try again."}"#
            )
            #expect(omar.status == .created)
            let stale = try await lena.upload(
                "/console/tickets/\(reference)/reply",
                fields: ["_csrf": csrf, "body": "Have you tried <turning> it off?", "seen": seen],
                files: []
            )
            #expect(stale.status == .conflict)
            #expect(
                stale.text.contains("While you were writing your reply, Omar replied: “Restarted the print spooler.”")
            )
            #expect(stale.text.contains("Have you tried &lt;turning&gt; it off?</textarea>"), "the typed text is kept")
            let fresh = try #require(Self.seen(in: stale.text))
            #expect(Int64(fresh)! > Int64(seen)!)
            var events = try await f.components.tickets.events(
                ticketID: try #require(
                    try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
                )
                .id,
                includeInternal: true
            )
            #expect(events.filter { $0.kind == .publicReply }.count == 1, "nothing was sent")

            // Sent again from the page that shows Omar's reply, it goes through.
            let again = try await lena.upload(
                "/console/tickets/\(reference)/reply",
                fields: ["_csrf": csrf, "body": "Have you tried <turning> it off?", "seen": fresh],
                files: []
            )
            #expect(again.status == .seeOther)
            // Lena's own changes never count against her, and a status change from a stale page is refused too.
            let statusPage = try await lena.send(.get, "/console/tickets/\(reference)").text
            let statusSeen = try #require(Self.seen(in: statusPage))
            let version = try #require(
                try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
            )
            .version
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/notes",
                as: "omar",
                json: #"{"body":"Spooler logs attached."}"#
            )
            let status = try await lena.send(
                .post,
                "/console/tickets/\(reference)/status",
                form: [
                    "_csrf": csrf, "version": "\(version)", "status": "resolved", "resolution": "fixed",
                    "seen": statusSeen,
                ]
            )
            #expect(status.status == .conflict)
            #expect(
                status.text.contains("While you were changing the status, Omar added a note: “Spooler logs attached.”")
            )
            events = try await f.components.tickets.events(
                ticketID: try #require(
                    try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
                )
                .id,
                includeInternal: true
            )
            #expect(!events.contains { $0.kind == .statusChanged && $0.after == "resolved" })
        }
    }

    @Test func aTicketPageSaysWhoElseHasItOpenAndWhoIsWriting() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let lenaPage = try await lena.send(.get, "/console/tickets/\(reference)").text
            #expect(lenaPage.contains(#"<p id="presence" class="notice presence" role="status" hidden>"#))
            var omar = Browser(fixture: f)
            _ = try await omar.logIn("omar@example.com")
            let omarPage = try await omar.send(.get, "/console/tickets/\(reference)").text
            #expect(omarPage.contains("Lena is viewing this ticket."))
            let csrf = try #require(Browser.csrf(in: omarPage))
            let writing = try await omar.send(
                .post,
                "/console/tickets/\(reference)/presence",
                form: ["_csrf": csrf, "state": "replying"]
            )
            #expect(writing.status == .ok && writing.headers[.contentType] == "application/json")
            #expect(writing.text.contains(#""text":"Lena is viewing this ticket""#))
            let lenaCSRF = try #require(Browser.csrf(in: lenaPage))
            let heard = try await lena.send(
                .post,
                "/console/tickets/\(reference)/presence",
                form: ["_csrf": lenaCSRF, "state": "viewing"]
            )
            #expect(
                heard.text.contains(#""state":"replying""#) && heard.text.contains("Omar is writing a reply or note")
            )
            let wrong = try await lena.send(
                .post,
                "/console/tickets/\(reference)/presence",
                form: ["_csrf": lenaCSRF, "state": "dancing"]
            )
            #expect(wrong.status == .badRequest)
            let forged = try await lena.send(
                .post,
                "/console/tickets/\(reference)/presence",
                form: ["_csrf": "x", "state": "viewing"]
            )
            #expect(forged.status == .forbidden)
            // A requester may see the ticket, but not who works on it.
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let portal = try await alice.send(.get, "/portal/tickets/\(reference)").text
            let aliceCSRF = try #require(Browser.csrf(in: portal))
            let peek = try await alice.send(
                .post,
                "/console/tickets/\(reference)/presence",
                form: ["_csrf": aliceCSRF, "state": "viewing"]
            )
            #expect(peek.status != .ok && !peek.text.contains("Omar"))
        }
    }

    @Test func presenceLastsAMinuteAfterThePageLastSaidSo() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let ticket = try #require(
                try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
            )
            let (lena, omar) = (f.people["lena"]!.id, f.people["omar"]!.id)
            let t0 = ServerFixture.t0
            _ = try await f.components.tickets.markPresence(
                ticketID: ticket.id,
                personID: lena,
                state: .replying,
                at: t0
            )
            let soon = try await f.components.tickets.markPresence(
                ticketID: ticket.id,
                personID: omar,
                state: .viewing,
                at: t0.addingTimeInterval(59)
            )
            #expect(soon == [TicketPresence(personID: lena, state: .replying, seenAt: t0)])
            let later = try await f.components.tickets.markPresence(
                ticketID: ticket.id,
                personID: omar,
                state: .viewing,
                at: t0.addingTimeInterval(61)
            )
            #expect(later.isEmpty)
        }
    }

    @Test func theLiveFeedHandsEveryChangeToEveryListenerOnce() async throws {
        try await ServerFixture.with { f in
            let feed = f.components.liveFeed
            let (first, firstStream) = await feed.listen()
            let (second, secondStream) = await feed.listen()
            #expect(try await feed.poll().isEmpty, "the first read notes where the history stands")
            let reference = try await f.openTicket(as: "alice", title: "Scanner \\\"E-17\\\"")
            _ = try await f.call(.post, "/api/v1/tickets/\(reference)/notes", as: "lena", json: #"{"body":"Looking."}"#)
            let changes = try await feed.poll()
            let number = TicketReference.number(in: reference)!
            #expect(changes.map(\.number) == [number, number] && changes.map(\.kind) == [.created, .internalNote])
            #expect(try await feed.poll().isEmpty, "nothing is handed over twice")
            await feed.stop(first)
            await feed.stop(second)
            var heard: [[LiveFeed.Item]] = []
            for stream in [firstStream, secondStream] {
                var items: [LiveFeed.Item] = []
                for await item in stream { items.append(item) }
                heard.append(items)
            }
            #expect(heard[0] == changes.map(LiveFeed.Item.change) + [.tick] && heard[1] == heard[0])
            let message = LiveEvent(changes[1], by: "Lena \"L1\"", mine: false).message(seq: changes[1].seq)
            #expect(message.hasPrefix("id: \(changes[1].seq)\nevent: ticket\ndata: {"))
            #expect(message.contains(#""by":"Lena \"L1\"""#) && message.contains(#""label":"added a note""#))
            #expect(message.hasSuffix("}\n\n") && !message.dropLast(2).contains("\n\n"))
        }
    }

    @Test func onlyStaffListenToTheConsole() async throws {
        try await ServerFixture.with { f in
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let refused = try await alice.send(.get, "/console/live")
            #expect(refused.status == .notFound || refused.status == .forbidden)
            var stranger = Browser(fixture: f)
            let anonymous = try await stranger.send(.get, "/console/live")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
    }
}
