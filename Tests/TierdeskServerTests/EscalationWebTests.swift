import Foundation
import HummingbirdTesting
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Escalating and returning tickets in the console goes through the same gates as the API.
@Suite struct EscalationWebTests {
    /// Files sent with the console's forms are kept with the ticket and listed on its page: a log file is
    /// the evidence L1's gate asks for; a form with too many files or an empty one is refused with what was
    /// typed kept, and nothing of it is stored.
    @Test func filesSentWithTheFormsAreKeptAndCountAsEvidence() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains(#"enctype="multipart/form-data""#) && page.text.contains(#"id="esc-files""#))
            let token = try #require(Browser.csrf(in: page.text))
            let log = Data("2026-09-21 14:02 ERROR scanner M7 timeout\n".utf8)
            let tooMany = try await browser.upload(
                "/console/tickets/\(reference)/reply",
                fields: ["_csrf": token, "body": "Logs attached"],
                files: (0..<6).map { ("files", "log\($0).txt", "text/plain", log) }
            )
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.text.contains(#"id="reply-files-error">Attach at most 5 files at once."#))
            #expect(tooMany.text.contains(">Logs attached</textarea>"))
            let empty = try await browser.upload(
                "/console/tickets/\(reference)/note",
                fields: ["_csrf": token, "body": "See the file"],
                files: [("files", "blank.txt", "text/plain", Data())]
            )
            #expect(empty.status == .unprocessableContent && empty.text.contains("The file blank.txt is empty."))
            #expect(try await f.components.ticketDesk.attachments(reference, for: f.people["lena"]!.actor).1.isEmpty)

            // Escalated with a log file as its only evidence.
            let escalated = try await browser.upload(
                "/console/tickets/\(reference)/escalate",
                fields: ["_csrf": token, "version": "1", "reason": "Beyond L1", "tried": "Restarted the scanner"],
                files: [("files", "scanner.log", "text/plain", log), ("files", "", "application/octet-stream", Data())]
            )
            #expect(escalated.status == .seeOther, "\(escalated.text)")
            let after = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(after.text.contains("escalated L1 → L2") && after.text.contains("Attachments: 1 on the ticket"))
            let link = try #require(
                after.text.range(of: #"<li><a href=""#).map { after.text[$0.upperBound...].prefix { $0 != "\"" } }
            )
            #expect(after.text.contains(#">scanner.log</a>"#))
            let file = try await browser.send(.get, String(link))
            #expect(file.status == .ok && String(buffer: file.body) == String(decoding: log, as: UTF8.self))
        }
    }

    @Test func agentsEscalateWithEvidenceAndReturnWithANote() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(
                page.text.contains("Escalate to L2") && page.text.contains(#"name="tried""#)
                    && !page.text.contains("Return to")
            )
            let token = try #require(Browser.csrf(in: page.text))
            let refused = try await browser.send(
                .post,
                "/console/tickets/\(reference)/escalate",
                form: ["_csrf": token, "version": "1", "reason": "Beyond L1"]
            )
            #expect(refused.status == .unprocessableContent)
            // Each refusal sits next to its field in plain words, and what was typed is still there.
            #expect(refused.text.contains("Nothing was saved: see what is missing below."))
            #expect(refused.text.contains(#"<p class="error" id="esc-tried-error">Say what you already tried.</p>"#))
            #expect(refused.text.contains(#"id="esc-evidence-error">Paste a log excerpt, attach a screenshot"#))
            #expect(refused.text.contains(#"name="reason" rows="2" required>Beyond L1</textarea>"#))
            #expect(!refused.text.contains("noEvidenceReason)"))
            let done = try await browser.send(
                .post,
                "/console/tickets/\(reference)/escalate",
                form: [
                    "_csrf": token, "version": "1", "reason": "Beyond L1", "tried": "Runbook R-12",
                    "noEvidenceReason": "The terminal shows no error", "group": "",
                ]
            )
            #expect(done.status == .seeOther)
            let escalated = try await browser.send(.get, "/console/tickets/\(reference)?notice=escalated")
            #expect(
                escalated.text.contains("Ticket escalated.") && escalated.text.contains("escalated L1 → L2")
                    && escalated.text.contains("Tried: Runbook R-12")
            )
            #expect(
                escalated.text.contains("Escalate to L3") && escalated.text.contains(#"name="reproductionSteps""#)
                    && escalated.text.contains("Return to L1")
            )
            let back = try await browser.send(
                .post,
                "/console/tickets/\(reference)/deescalate",
                form: ["_csrf": token, "version": "2", "note": "Known error KE-7 applies; L1 can fix it"]
            )
            #expect(back.status == .seeOther)
            let returned = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(
                returned.text.contains("returned the ticket L2 → L1")
                    && returned.text.contains("Known error KE-7 applies")
            )
            // The requester never sees the evidence or the hand-offs.
            let asRequester = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(!asRequester.contains("Runbook R-12") && !asRequester.contains("escalated"))
        }
    }

    @Test func theConsoleTakesATicketUpToTheVendorThroughEveryGate() async throws {
        try await ServerFixture.with { f in
            let vendor = try await f.call(.post, "/api/v1/vendors", as: "admin", json: #"{"name": "NordERP"}"#)
            let vendorID = try #require(try vendor.json()["id"] as? String)
            let reference = try await f.openTicket(as: "alice", title: "Posting fails")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("admin@example.com")
            let token = try #require(
                Browser.csrf(in: try await browser.send(.get, "/console/tickets/\(reference)").text)
            )
            func escalate(_ version: Int, _ fields: [String: String]) async throws -> TestResponse {
                try await browser.send(
                    .post,
                    "/console/tickets/\(reference)/escalate",
                    form: ["_csrf": token, "version": String(version), "reason": "Needs the next tier"]
                        .merging(fields) { $1 }
                )
            }
            #expect(try await escalate(1, ["tried": "Runbook", "logExcerpt": "ERROR M7 021"]).status == .seeOther)
            let noRepro = try await escalate(2, ["logExtract": "ERROR"])
            #expect(
                noRepro.status == .unprocessableContent
                    && noRepro.text.contains(
                        #"id="esc-repro-error">Write the steps that reproduce it: L3 takes a ticket only with them."#
                    ) && noRepro.text.contains(#">ERROR</textarea>"#)
            )
            #expect(
                try await escalate(2, ["reproductionSteps": "Post a movement", "logExtract": "ERROR M7 021"]).status
                    == .seeOther
            )
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(
                page.text.contains("Escalate to L4")
                    && page.text.contains(#"<option value="\#(vendorID)">NordERP</option>"#)
            )
            let custom = try await escalate(
                3,
                [
                    "reproducedIn": "QA", "rootCause": "customisation", "vendor": vendorID, "vendorReference": "NE-1",
                    "impactAmount": "12,000", "impactCurrency": "eur",
                ]
            )
            #expect(custom.status == .unprocessableContent && custom.text.contains("stays with L3"))
            #expect(
                try await escalate(
                    3,
                    [
                        "reproducedIn": "QA", "rootCause": "standard_product", "vendor": vendorID,
                        "vendorReference": "NE-1", "impactAmount": "12,000", "impactCurrency": "eur",
                    ]
                )
                .status == .seeOther
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena").json()
            #expect(
                ticket["tier"] as? String == "L4" && ticket["status"] as? String == "on_hold"
                    && (ticket["businessImpact"] as? [String: Any])?["currency"] as? String == "EUR"
            )
        }
    }
}

/// The gates per service and the workaround over HTTP.
@Suite struct EscalationSettingsAPITests {
    @Test func gatesSwitchPerServiceAndWorkaroundsDowngrade() async throws {
        try await ServerFixture.with { f in
            let service = try await f.call(
                .post,
                "/api/v1/services",
                as: "admin",
                json: #"{"name": "Label printing", "supportModel": "tiered"}"#
            )
            let serviceID = try #require(try service.json()["id"] as? String)
            let gates =
                #"{"defaults": {"l1ToL2": true, "l2ToL3": true, "l3ToL4": true}, "services": {"\#(serviceID)": {"l1ToL2": false, "l2ToL3": false, "l3ToL4": true}}}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/escalation-gates", as: "lena", json: gates).status
                    == .forbidden
            )
            let unknown = try await f.call(
                .put,
                "/api/v1/settings/escalation-gates",
                as: "admin",
                json: #"{"services": {"\#(UUID())": {"l1ToL2": false, "l2ToL3": false, "l3ToL4": false}}}"#
            )
            #expect(unknown.status == .unprocessableContent)
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/escalation-gates",
                        as: "admin",
                        json: #"{"services": {"not-an-id": {"l1ToL2": false, "l2ToL3": false, "l3ToL4": false}}}"#
                    )
                    .status == .badRequest
            )
            #expect(try await f.call(.put, "/api/v1/settings/escalation-gates", as: "admin", json: gates).status == .ok)
            #expect(try await f.call(.get, "/api/v1/settings/escalation-gates", as: "lena").text.contains(serviceID))

            // This service lets L1 and L2 hand on with a reason alone; others still need the evidence.
            let printing = try await f.openTicket(
                as: "alice",
                title: "Labels smudged",
                extra: #", "serviceId": "\#(serviceID)""#
            )
            #expect(
                try await
                    f
                    .call(
                        .post,
                        "/api/v1/tickets/\(printing)/escalations",
                        as: "lena",
                        json: #"{"version": 1, "reason": "Hardware"}"#
                    )
                    .json()["tier"] as? String == "L2"
            )
            #expect(
                try await
                    f
                    .call(
                        .post,
                        "/api/v1/tickets/\(printing)/escalations",
                        as: "omar",
                        json: #"{"version": 2, "reason": "Firmware"}"#
                    )
                    .json()["tier"] as? String == "L3"
            )
            let other = try await f.openTicket(as: "alice")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(other)/escalations",
                        as: "lena",
                        json: #"{"version": 1, "reason": "Hardware"}"#
                    )
                    .status == .unprocessableContent
            )

            // A named group must work at the tier the ticket goes to; triage rules and alert intake follow the same rule.
            #expect(
                try await f.call(.put, "/api/v1/groups/Engineering", as: "admin", json: #"{"tier": "L3"}"#).status
                    == .ok
            )
            let third = try await f.openTicket(
                as: "alice",
                title: "Labels faded",
                extra: #", "serviceId": "\#(serviceID)""#
            )
            let wrongTier = try await f.call(
                .post,
                "/api/v1/tickets/\(third)/escalations",
                as: "lena",
                json: #"{"version": 1, "reason": "Hardware", "tier": "L2", "group": "Engineering"}"#
            )
            #expect(
                try wrongTier.problemFields() == ["group"] && wrongTier.text.contains("Engineering works at L3, not L2")
            )
            let rule =
                #"{"rules": [{"name": "Printers", "then": {"tier": "L1", "group": "Engineering"}}, {"name": "Ghost", "then": {"group": "Nobody"}}]}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/triage-rules", as: "admin", json: rule).problemFields() == [
                    "rules[0].then.group", "rules[1].then.group",
                ]
            )
            let intake =
                #"{"severityLabel":"severity","severities":{},"defaultSeverity":"Sev3","serviceLabel":"service","onResolve":"close","group":"Engineering"}"#
            let refusedIntake = try await f.call(.put, "/api/v1/settings/alert-intake", as: "admin", json: intake)
            #expect(try refusedIntake.problemFields() == ["group"] && refusedIntake.text.contains("not L1"))

            // The owner downgrades a P3 with a workaround; someone else may not.
            let lena = try #require(f.people["lena"])
            let owned = try await f.openTicket(
                as: "lena",
                extra: #", "requesterId": "\#(f.people["alice"]!.id)", "ownerId": "\#(lena.id)""#
            )
            let notOwner = try await f.call(
                .post,
                "/api/v1/tickets/\(owned)/workaround",
                as: "omar",
                json: #"{"version": 1, "description": "Print from the spare station", "downgrade": true}"#
            )
            #expect(try notOwner.problemFields() == ["downgrade"])
            let downgraded =
                try await f.call(
                    .post,
                    "/api/v1/tickets/\(owned)/workaround",
                    as: "lena",
                    json: #"{"version": 1, "description": "Print from the spare station", "downgrade": true}"#
                )
                .json()
            #expect(downgraded["priority"] as? String == "P4" && downgraded["workaroundApplied"] as? Bool == true)
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(owned)/events", as: "alice").text
                    .contains("Downgraded with a workaround: Print from the spare station")
            )
            // A later edit that leaves impact and urgency alone keeps the downgrade.
            let version = try #require(downgraded["version"] as? Int)
            let edited =
                try await f.call(
                    .patch,
                    "/api/v1/tickets/\(owned)",
                    as: "lena",
                    json: #"{"version": \#(version), "title": "Printer jam, spare station in use"}"#
                )
                .json()
            #expect(
                edited["priority"] as? String == "P4"
                    && edited["title"] as? String == "Printer jam, spare station in use"
            )
        }
    }
}
