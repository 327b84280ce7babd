import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Merging duplicates (the API, the ticket page, mail that answers the duplicate) and one change to many
/// tickets chosen in a queue.
struct MergeAndBulkTests {
    static func ticket(_ f: ServerFixture, _ reference: String) async throws -> Ticket {
        try #require(try await f.components.tickets.find(number: TicketReference.number(in: reference)!))
    }

    @Test func aDuplicateMergedIntoItsTwinCarriesItsWordsFilesAndMailOver() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let duplicate = try await f.openTicket(as: "alice", title: "Printer jam again")
            let survivor = try await f.openTicket(as: "bob", title: "Printer jam on floor 2")
            let foreign = try await f.openTicket(as: "carol", title: "Globex printer")
            _ = try await f.call(
                .post,
                "/api/v1/tickets/\(duplicate)/replies",
                as: "alice",
                json: #"{"body":"Tray 2 this time."}"#
            )
            let upload = try await f.call(
                .post,
                "/api/v1/tickets/\(duplicate)/attachments?filename=jam.log",
                as: "alice",
                body: ByteBuffer(string: "E-17 at 09:14"),
                headers: [.contentType: "application/octet-stream"]
            )
            #expect(upload.status == .created)
            let version = try await Self.ticket(f, duplicate).version
            func merge(_ into: String, as who: String, version: Int) async throws -> TestResponse {
                try await f.call(
                    .post,
                    "/api/v1/tickets/\(duplicate)/merge",
                    as: who,
                    json: #"{"into":"\#(into)","version":\#(version)}"#
                )
            }
            #expect(try await merge(survivor, as: "alice", version: version).status == .forbidden)
            let foreignMerge = try await merge(foreign, as: "lena", version: version)
            #expect(foreignMerge.status == .unprocessableContent && foreignMerge.text.contains("another organisation"))
            #expect(try await merge(duplicate, as: "lena", version: version).status == .unprocessableContent)
            #expect(try await merge("TD-99999", as: "lena", version: version).status == .notFound)
            #expect(try await merge(survivor, as: "lena", version: version + 1).status == .conflict)
            #expect(try await Self.ticket(f, duplicate).status == .new, "a refused merge changes nothing")

            let merged = try await merge(survivor, as: "lena", version: version)
            #expect(merged.status == .ok)
            let closed = try await Self.ticket(f, duplicate)
            #expect(closed.status == .closed && closed.resolution == .noFault)
            let carried = try await Self.ticket(f, survivor)
            let events = try await f.components.tickets.events(ticketID: carried.id, includeInternal: true)
            let note = try #require(events.first { $0.kind == .internalNote })
            #expect(note.body?.contains("Merged \(duplicate) into this ticket: Printer jam again") == true)
            #expect(note.body?.contains("— Alice, ") == true && note.body?.contains("Tray 2 this time.") == true)
            let files = try await f.components.attachments.list(ticketID: carried.id)
            #expect(files.map(\.filename) == ["jam.log"])
            let (_, data) = try #require(try await f.components.attachments.file(files[0].id, ticketID: carried.id))
            #expect(data == Data("E-17 at 09:14".utf8))
            #expect(
                try await f.components.attachments.list(ticketID: closed.id).count == 1,
                "the duplicate keeps its file"
            )
            #expect(try await f.components.tickets.survivor(of: closed.number) == carried.number)
            #expect(try await f.components.tickets.survivor(of: carried.number) == carried.number)

            // Alice answers the duplicate's mail: her answer lands on the ticket that carries on.
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let answer = try await MailInboundTests.post(
                f,
                MailInboundTests.message(
                    from: "alice@example.com",
                    subject: "Re: [\(duplicate)] Printer jam again",
                    id: "answer-1@acme.example",
                    body: "It jams on tray 3 now."
                ),
                token: gate
            )
            #expect(answer.status == .ok && answer.text.contains(survivor) && answer.text.contains("replied"))
            let after = try await f.components.tickets.events(ticketID: carried.id, includeInternal: true)
            #expect(after.contains { $0.kind == .publicReply && $0.body?.contains("tray 3") == true })
        }
    }

    @Test func aQueueChangesTheTicksItWasGivenAndNamesEachRefusal() async throws {
        try await ServerFixture.with { f in
            let first = try await f.openTicket(as: "alice", title: "VPN down")
            let second = try await f.openTicket(as: "bob", title: "VPN down too")
            let third = try await f.openTicket(as: "alice", title: "VPN down (again)")
            let globex = try await f.openTicket(as: "carol", title: "Globex VPN")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let queue = try await lena.send(.get, "/console?q=vpn").text
            #expect(queue.contains(#"<form id="bulk""#) && queue.contains(#"value="\#(first)" form="bulk""#))
            #expect(queue.contains(#"name="back" value="/console?q=vpn""#))
            let csrf = try #require(Browser.csrf(in: queue))
            func bulk(_ tickets: [String], _ fields: [String: String]) async throws -> TestResponse {
                var body = ["_csrf=\(csrf)", "back=%2Fconsole%3Fq%3Dvpn"]
                body += tickets.map { "tickets%5B%5D=\($0)" }
                body += fields.map { "\($0.key)=\($0.value)" }
                return try await f.client.execute(
                    uri: "/console/bulk",
                    method: .post,
                    headers: [
                        .contentType: "application/x-www-form-urlencoded",
                        .cookie: lena.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                    ],
                    body: ByteBuffer(string: body.joined(separator: "&"))
                )
            }
            let assigned = try await bulk([first, second, third], ["action": "assign"])
            #expect(assigned.status == .ok && assigned.text.contains("Changed 3: \(first), \(second), \(third)."))
            for reference in [first, second, third] {
                #expect(try await Self.ticket(f, reference).ownerID == f.people["lena"]!.id)
            }
            let urgent = try await bulk([first, second], ["action": "priority", "priority": "P2"])
            #expect(urgent.status == .ok)
            let (one, two) = (try await Self.ticket(f, first), try await Self.ticket(f, second))
            #expect(one.priority == .p2 && two.priority == .p2)
            let again = try await bulk([first, second, third], ["action": "priority", "priority": "P2"])
            #expect(
                again.text.contains("Changed 1: \(third).") && again.text.contains("Already so: \(first), \(second).")
            )
            let mine = try await bulk([first], ["action": "assign"])
            #expect(mine.text.contains("Already so: \(first).") && !mine.text.contains("Changed"))
            let held = try await bulk([first], ["action": "status", "status": "on_hold"])
            let onHold = try await Self.ticket(f, first)
            #expect(held.status == .ok && onHold.status == .onHold)

            let merged = try await bulk([third, globex, first], ["action": "merge"])
            #expect(merged.status == .ok && merged.text.contains("Changed 1: \(third)."))
            #expect(merged.text.contains("Not changed: \(globex): ") && merged.text.contains("another organisation"))
            let (gone, kept) = (try await Self.ticket(f, third), try await Self.ticket(f, globex))
            #expect(gone.status == .closed && kept.status == .new)

            let none = try await bulk([], ["action": "assign"])
            #expect(none.status == .unprocessableContent && none.text.contains("Nothing was changed: "))
            let unknown = try await bulk([first], ["action": "delete"])
            #expect(unknown.status == .unprocessableContent)
        }
    }
}
