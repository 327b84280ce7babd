import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Data corrections and workarounds recorded from a ticket's console page.
struct TicketRecordPagesTests {
    @Test func anL2AgentRecordsADataCorrectionAndL1CannotSeeTheForm() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Order stuck in picking")
            var omar = Browser(fixture: f)
            _ = try await omar.logIn("omar@example.com")
            let page = try await omar.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("id=\"correction-form\""))
            let csrf = try #require(Browser.csrf(in: page.text))
            let missing = try await omar.send(
                .post,
                "/console/tickets/\(reference)/correction",
                form: ["_csrf": csrf, "target": "ERP order 4711", "change": "status PICKING → PACKED", "reason": " "]
            )
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("Say why the data had to be corrected."))
            #expect(missing.text.contains("value=\"ERP order 4711\""), "the typed fields are kept")
            let recorded = try await omar.send(
                .post,
                "/console/tickets/\(reference)/correction",
                form: [
                    "_csrf": csrf, "target": "ERP order 4711", "change": "status PICKING → PACKED",
                    "reason": "Scanner lost the confirmation",
                ]
            )
            #expect(recorded.headers[.location] == "/console/tickets/\(reference)?notice=corrected")
            let ticket = try #require(
                try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
            )
            let events = try await f.components.tickets.events(ticketID: ticket.id, includeInternal: true)
            #expect(events.contains { $0.kind == .dataCorrection && $0.field == "ERP order 4711" })

            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let lenaPage = try await lena.send(.get, "/console/tickets/\(reference)")
            #expect(!lenaPage.text.contains("id=\"correction-form\""))
            let refused = try await lena.send(
                .post,
                "/console/tickets/\(reference)/correction",
                form: [
                    "_csrf": try #require(Browser.csrf(in: lenaPage.text)), "target": "x", "change": "y", "reason": "z",
                ]
            )
            #expect(refused.status == .forbidden)
        }
    }

    @Test func theOwnerRecordsAWorkaroundAndTakesAP3DownToP4() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            var page = try await lena.send(.get, "/console/tickets/\(reference)")
            let csrf = try #require(Browser.csrf(in: page.text))
            #expect(page.text.contains("id=\"workaround-form\"") && !page.text.contains("id=\"wa-downgrade\""))
            _ = try await lena.send(
                .post,
                "/console/tickets/\(reference)/assign",
                form: ["_csrf": csrf, "version": "1", "owner": f.people["lena"]!.id.uuidString, "group": ""]
            )
            page = try await lena.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("id=\"wa-downgrade\""), "the owner of a P3 may downgrade")
            let empty = try await lena.send(
                .post,
                "/console/tickets/\(reference)/workaround",
                form: ["_csrf": csrf, "version": "2", "description": "", "downgrade": "1"]
            )
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Describe the workaround so the next person can apply it."))
            let done = try await lena.send(
                .post,
                "/console/tickets/\(reference)/workaround",
                form: ["_csrf": csrf, "version": "2", "description": "Print from the second station", "downgrade": "1"]
            )
            #expect(done.headers[.location] == "/console/tickets/\(reference)?notice=downgraded")
            let ticket = try #require(
                try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
            )
            #expect(ticket.priority == .p4 && ticket.workaroundApplied)
        }
    }
}
