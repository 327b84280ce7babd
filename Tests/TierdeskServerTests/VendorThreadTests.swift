import Foundation
import HTTPTypes
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// The vendor thread of an L4 ticket: staff and the vendor talk apart from the customer, evidence is shared
/// by choice, and the customer reads the vendor's words only when an agent forwards them.
struct VendorThreadTests {
    @Test func theVendorAndTheCustomerEachReadTheirOwnConversation() async throws {
        try await ServerFixture.with { f in
            let contact = try await Self.vendorContact(f)
            let veraSecret = try await f.components.directoryDesk
                .issueToken(
                    name: "tests",
                    for: contact.id
                )
                .1
            let veraToken: HTTPFields = [.authorization: "Bearer \(veraSecret)"]
            let reference = try await f.openTicket(as: "alice", title: "Posting fails")
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            var page = try await admin.send(.get, "/console/tickets/\(reference)")
            #expect(!page.text.contains("id=\"vendor-thread\""), "no thread before the vendor is involved")
            let csrf = try #require(Browser.csrf(in: page.text))
            let customerFile = try await admin.upload(
                "/console/tickets/\(reference)/note",
                fields: ["_csrf": csrf, "body": "Customer's screenshot kept"],
                files: [("files", "customer.png", "image/png", Data([0x89, 0x50, 0x4E, 0x47]))]
            )
            #expect(customerFile.status == .seeOther)
            try await Self.escalateToVendor(reference, vendor: contact.vendorID!, as: &admin, csrf: csrf)
            page = try await admin.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("Vendor thread: NordERP") && page.text.contains("Share the L4 checklist"))

            // Vera sees nothing of the ticket's evidence until it is shared.
            var vera = Browser(fixture: f)
            _ = try await vera.logIn("vera@norderp.example")
            var veraPage = try await vera.send(.get, "/portal/tickets/\(reference)")
            #expect(veraPage.status == .ok && veraPage.text.contains("Conversation with the service desk"))
            #expect(!veraPage.text.contains("customer.png") && !veraPage.text.contains("Description"))

            let stored = try await f.components.attachments.list(ticketID: try await ticketID(f, reference))
            let png = try #require(stored.first)
            let sent = try await admin.upload(
                "/console/tickets/\(reference)/vendor",
                fields: [
                    "_csrf": csrf, "body": "Please look at NE-1.", "checklist": "1", "share[]": png.id.uuidString,
                ],
                files: [("files", "trace.log", "text/plain", Data("trace".utf8))]
            )
            #expect(sent.headers[.location] == "/console/tickets/\(reference)?notice=vendorMessage")
            veraPage = try await vera.send(.get, "/portal/tickets/\(reference)")
            #expect(veraPage.text.contains("Please look at NE-1.") && veraPage.text.contains("Shared evidence"))
            #expect(veraPage.text.contains("customer.png") && veraPage.text.contains("trace.log"))

            // Vera answers; the customer neither reads it nor is mailed it, but sees the ticket waits.
            let veraCSRF = try #require(Browser.csrf(in: veraPage.text))
            let answered = try await vera.upload(
                "/portal/tickets/\(reference)/reply",
                fields: ["_csrf": veraCSRF, "body": "Patch NE-1 ships Friday."],
                files: [("files", "vendor-notes.txt", "text/plain", Data("internal".utf8))]
            )
            #expect(answered.status == .seeOther)
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            var alicePage = try await alice.send(.get, "/portal/tickets/\(reference)")
            #expect(
                !alicePage.text.contains("Patch NE-1 ships Friday.") && !alicePage.text.contains("Please look at NE-1")
            )
            #expect(!alicePage.text.contains("vendor-notes.txt") && !alicePage.text.contains("trace.log"))
            #expect(alicePage.text.contains("waiting for a third party"))
            let aliceEvents = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(!aliceEvents.contains("vendor_message") && !aliceEvents.contains("Patch NE-1"))
            let files = try await f.call(.get, "/api/v1/tickets/\(reference)/attachments", as: "alice").text
            #expect(files.contains("customer.png") && !files.contains("vendor-notes.txt"))
            let all = try await f.components.attachments.list(ticketID: try await ticketID(f, reference))
            let vendorFile = try #require(all.first { $0.filename == "vendor-notes.txt" })
            #expect(
                try await f
                    .call(
                        .get,
                        "/api/v1/tickets/\(reference)/attachments/\(vendorFile.id.uuidString)",
                        as: "alice"
                    )
                    .status == .notFound
            )

            // The agent forwards the answer: now the customer reads it, quoted, as the agent's reply.
            page = try await admin.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("Patch NE-1 ships Friday.") && page.text.contains("Forward to the customer"))
            let events = try await f.components.tickets.events(
                ticketID: try await ticketID(f, reference),
                includeInternal: true
            )
            let answer = try #require(events.last { $0.kind == .vendorMessage && !$0.byStaff })
            let forwarded = try await admin.send(
                .post,
                "/console/tickets/\(reference)/vendor/\(answer.id.uuidString)/forward",
                form: ["_csrf": csrf]
            )
            #expect(forwarded.headers[.location] == "/console/tickets/\(reference)?notice=forwarded")
            alicePage = try await alice.send(.get, "/portal/tickets/\(reference)")
            #expect(alicePage.text.contains("NordERP wrote:\n&gt; Patch NE-1 ships Friday."))

            // Vera's API reads leave the customer's words out, and her search reaches titles only.
            let asVera = try await f.call(.get, "/api/v1/tickets/\(reference)", as: nil, headers: veraToken)
            #expect(try asVera.json()["description"] as? String == "")
            let byTitle = try await f.call(.get, "/api/v1/tickets?q=posting", headers: veraToken).text
            #expect(byTitle.contains(reference))
            let byDescription = try await f.call(.get, "/api/v1/tickets?q=jams", headers: veraToken).text
            #expect(!byDescription.contains(reference), "a vendor cannot probe the customer's description")

            // A console form posted by a vendor contact is refused, and no console page is shown.
            let console = try await vera.send(
                .post,
                "/console/tickets/\(reference)/watchers",
                form: ["_csrf": veraCSRF, "person": UUID().uuidString, "watch": "1"]
            )
            #expect(console.status == .forbidden && !console.text.contains("Vendor thread"))

            // Merged into another of the customer's tickets, the files for the vendor only stay behind.
            let version = try #require(
                try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena").json()["version"] as? Int
            )
            let survivor = try await f.openTicket(as: "alice", title: "Posting still fails")
            let merged = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/merge",
                as: "lena",
                json: #"{"into": "\#(survivor)", "version": \#(version)}"#
            )
            #expect(merged.status == .ok)
            let survivorFiles = try await f.call(.get, "/api/v1/tickets/\(survivor)/attachments", as: "alice").text
            #expect(survivorFiles.contains("customer.png") && !survivorFiles.contains("trace.log"))
            #expect(!survivorFiles.contains("vendor-notes.txt"))

            // Staff only write to a vendor on a ticket that has one.
            let other = try await f.openTicket(as: "alice", title: "Other")
            let refused = try await admin.send(
                .post,
                "/console/tickets/\(other)/vendor",
                form: ["_csrf": csrf, "body": "Hello"]
            )
            #expect(refused.status == .unprocessableContent)
            let api = try await f.call(.get, "/api/v1/tickets/\(other)/events", as: "lena").text
            #expect(!api.contains("vendor_message"), "nothing was written")
        }
    }

    @Test func staffMessagesToTheVendorAreMailedToItsContactsAlone() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let contact = try await Self.vendorContact(f)
            let reference = try await f.openTicket(as: "alice", title: "Posting fails")
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let csrf = try #require(Browser.csrf(in: try await admin.send(.get, "/console/tickets/\(reference)").text))
            try await Self.escalateToVendor(reference, vendor: contact.vendorID!, as: &admin, csrf: csrf)
            let before = try await f.components.outbox.list(status: nil, limit: 1000).map(\.id)
            let sent = try await admin.send(
                .post,
                "/console/tickets/\(reference)/vendor",
                form: ["_csrf": csrf, "body": "Please confirm the patch date for NE-1."]
            )
            #expect(sent.status == .seeOther)
            let new = try await f.components.outbox.list(status: nil, limit: 1000).filter { !before.contains($0.id) }
            #expect(new.map(\.recipient) == ["vera@norderp.example"], "the vendor's contact alone is mailed")
            let payload = try JSONSerialization.jsonObject(with: try #require(new.first).payload) as? [String: Any]
            let text = try #require(payload?["text"] as? String)
            #expect(text.contains("Please confirm the patch date for NE-1.") && !text.contains("It jams."))
            #expect((payload?["subject"] as? String)?.contains("[\(reference)]") == true)
        }
    }

    /// Vera, the contact of a vendor NordERP made through the API.
    static func vendorContact(_ f: ServerFixture) async throws -> Person {
        let vendor = try await f.call(.post, "/api/v1/vendors", as: "admin", json: #"{"name": "NordERP"}"#)
        let vendorText = try #require(try vendor.json()["id"] as? String)
        let vendorID = try #require(UUID(uuidString: vendorText))
        return try await f.components.directoryDesk.createPerson(
            email: "vera@norderp.example",
            name: "Vera",
            roles: [.vendor],
            tier: nil,
            organisationID: nil,
            vendorID: vendorID,
            password: ServerFixture.password
        )
    }

    /// Takes a new ticket from L1 to the vendor through the console, with every gate's evidence.
    static func escalateToVendor(_ reference: String, vendor: UUID, as browser: inout Browser, csrf: String)
        async throws
    {
        for (version, fields) in [
            (1, ["tried": "Runbook", "logExcerpt": "ERROR M7 021"]),
            (2, ["reproductionSteps": "Post a movement", "logExtract": "ERROR M7 021"]),
            (
                3,
                [
                    "reproducedIn": "QA", "rootCause": "standard_product", "vendor": vendor.uuidString,
                    "vendorReference": "NE-1", "impactAmount": "12000", "impactCurrency": "EUR",
                ]
            ),
        ] {
            let escalated = try await browser.send(
                .post,
                "/console/tickets/\(reference)/escalate",
                form: ["_csrf": csrf, "version": String(version), "reason": "Needs the next tier"]
                    .merging(fields) { $1 }
            )
            #expect(escalated.status == .seeOther, "escalation at version \(version)")
        }
    }

    private func ticketID(_ f: ServerFixture, _ reference: String) async throws -> UUID {
        let ticket = try await f.components.tickets.find(number: TicketReference.number(in: reference)!)
        return try #require(ticket).id
    }
}
