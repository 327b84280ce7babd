import Foundation
import Testing
import TierdeskCore

@testable import TierdeskServer

/// The Known Error Database over HTTP: writing, suggesting, resolving from it, and one article per confirmed fix.
@Suite struct KnownErrorAPITests {
    static let scanner =
        #"{"title": "Scanner unresponsive at goods receipt", "symptom": "Handheld scanners freeze and stop reading barcodes.", "rootCause": "A low battery drops the Wi-Fi profile.", "workaround": "Replace the battery, then re-join the GR Wi-Fi profile."}"#

    @Test func articlesAreSuggestedAppliedAndRequiredForConfirmedFixes() async throws {
        try await ServerFixture.with { f in
            #expect(
                try await f.call(.post, "/api/v1/known-errors", as: "alice", json: Self.scanner).status == .forbidden
            )
            let bad = try await f.call(
                .post,
                "/api/v1/known-errors",
                as: "lena",
                json:
                    #"{"title": " ", "symptom": "x", "rootCause": "y", "workaround": "", "lowestTier": "L4", "serviceIds": ["\#(UUID())"], "problemTicket": "TD-9999"}"#
            )
            #expect(
                try bad.status == .unprocessableContent
                    && bad.problemFields() == ["serviceIds[0]", "problemTicket", "title", "workaround", "lowestTier"]
            )
            let created = try await f.call(.post, "/api/v1/known-errors", as: "lena", json: Self.scanner)
            #expect(created.status == .created)
            #expect(
                try created.json()["reference"] as? String == "KE-1" && created.json()["lowestTier"] as? String == "L1"
            )
            let erp = try await f.call(
                .post,
                "/api/v1/known-errors",
                as: "omar",
                json:
                    #"{"title": "ERP posting fails with M7 021", "symptom": "Goods movements rejected.", "rootCause": "ERP support package defect.", "workaround": "Post manually in the ERP.", "lowestTier": "L2", "fixStatus": "fix_in_progress"}"#
            )
            #expect(try erp.json()["reference"] as? String == "KE-2")

            let reference = try await f.openTicket(as: "alice", title: "Scanner froze at goods receipt")
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(reference)/suggestions", as: "alice").status == .forbidden
            )
            let suggested = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer: try await f.call(.get, "/api/v1/tickets/\(reference)/suggestions", as: "lena").body
                    )
                ) as? [[String: Any]]
            )
            #expect(suggested.first?["reference"] as? String == "KE-1")
            #expect(
                try await f.call(.get, "/api/v1/known-errors?q=barcodes%20freeze", as: "lena").text.contains("KE-1")
            )
            #expect(try await f.call(.get, "/api/v1/known-errors", as: "carol").status == .forbidden)

            // "Confirmed defect, fixed" needs an article; L1 may not apply an article documented for L2 and up.
            let unlinked = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/status",
                as: "lena",
                json: #"{"version": 1, "status": "resolved", "resolution": "confirmed_defect_fixed"}"#
            )
            #expect(try unlinked.status == .unprocessableContent && unlinked.problemFields() == ["resolution"])
            let tooLow = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/known-error",
                as: "lena",
                json: #"{"version": 1, "knownError": "KE-2"}"#
            )
            #expect(tooLow.status == .forbidden && tooLow.text.contains("from L2 up"))
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(reference)/known-error",
                        as: "lena",
                        json: #"{"version": 1, "knownError": "KE-77"}"#
                    )
                    .status == .unprocessableContent
            )

            // L1 resolves it from the KEDB: the requester gets the workaround, the tier is recorded.
            let resolved = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/known-error",
                as: "lena",
                json: #"{"version": 1, "knownError": "KE-1", "resolve": true}"#
            )
            let ticket = try resolved.json()
            #expect(
                ticket["status"] as? String == "resolved" && ticket["resolution"] as? String == "known_error"
                    && ticket["knownErrorId"] as? String != nil
            )
            let seen = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(seen.contains("re-join the GR Wi-Fi profile") && !seen.contains("Resolved from KEDB"))
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena").text
                    .contains("Resolved from KEDB at L1")
            )

            // L2 links the defect's article and closes it as a confirmed defect, fixed.
            let defect = try await f.openTicket(as: "alice", title: "ERP posting fails")
            let linked = try await f.call(
                .post,
                "/api/v1/tickets/\(defect)/known-error",
                as: "omar",
                json: #"{"version": 1, "knownError": "KE-2"}"#
            )
            #expect(try linked.json()["status"] as? String == "new")
            let fixed = try await f.call(
                .post,
                "/api/v1/tickets/\(defect)/status",
                as: "omar",
                json:
                    #"{"version": 2, "status": "resolved", "resolution": "confirmed_defect_fixed", "comment": "Fixed by the vendor patch."}"#
            )
            #expect(try fixed.json()["resolution"] as? String == "confirmed_defect_fixed")
            // Reopening clears the resolution.
            let reopened = try await f.call(
                .post,
                "/api/v1/tickets/\(defect)/status",
                as: "omar",
                json: #"{"version": 3, "status": "in_progress"}"#
            )
            #expect(try reopened.json()["resolution"] is NSNull)

            let changed = try await f.call(
                .put,
                "/api/v1/known-errors/KE-1",
                as: "omar",
                json:
                    #"{"title": "Scanner unresponsive", "symptom": "Freezes.", "rootCause": "Battery.", "workaround": "Swap the battery.", "fixStatus": "fixed"}"#
            )
            #expect(try changed.json()["fixStatus"] as? String == "fixed")
            #expect(try await f.call(.get, "/api/v1/known-errors/KE-9", as: "lena").status == .notFound)
        }
    }
}

/// Suggestions while a ticket is open, in the console and the portal.
@Suite struct KnownErrorWebTests {
    @Test func consoleAndPortalSuggestMatchingArticles() async throws {
        try await ServerFixture.with { f in
            // Only an article marked public is suggested to the customer.
            let shown = KnownErrorAPITests.scanner.replacingOccurrences(
                of: #""title""#,
                with: #""public": true, "title""#
            )
            #expect(try await f.call(.post, "/api/v1/known-errors", as: "lena", json: shown).status == .created)
            let internalOnly =
                #"{"title": "Scanner freezes at goods receipt dock", "symptom": "Scanner froze at goods receipt", "rootCause": "Firmware", "workaround": "Ask L2 to reflash the scanner"}"#
            #expect(try await f.call(.post, "/api/v1/known-errors", as: "lena", json: internalOnly).status == .created)
            let reference = try await f.openTicket(as: "alice", title: "Scanner froze at goods receipt")
            var requester = Browser(fixture: f)
            _ = try await requester.logIn("alice@example.com")
            let portal = try await requester.send(.get, "/portal/tickets/\(reference)")
            #expect(
                portal.text.contains("Known issues that may match")
                    && portal.text.contains("re-join the GR Wi-Fi profile") && !portal.text.contains("KE-1")
            )
            #expect(!portal.text.contains("reflash"), "an article not marked public stays internal")

            var agent = Browser(fixture: f)
            _ = try await agent.logIn("lena@example.com")
            let page = try await agent.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("Known errors that match") && page.text.contains("Resolve with KE-1"))
            let token = try #require(Browser.csrf(in: page.text))
            let resolved = try await agent.send(
                .post,
                "/console/tickets/\(reference)/known-error",
                form: ["_csrf": token, "version": "1", "knownError": "KE-1", "resolve": "1"]
            )
            #expect(resolved.status == .seeOther)
            let after = try await agent.send(.get, "/console/tickets/\(reference)?notice=resolvedFromKEDB")
            #expect(
                after.text.contains("Resolved from the Known Error Database.")
                    && after.text.contains("applied known error KE-1 at L1")
            )
            // Resolved: the portal no longer suggests anything.
            #expect(
                !(try await requester.send(.get, "/portal/tickets/\(reference)").text
                    .contains("Known issues that may match"))
            )

            let kedb = try await agent.send(.get, "/console/known-errors?q=barcodes")
            #expect(kedb.text.contains("Scanner unresponsive at goods receipt") && kedb.text.contains("article-form"))
            let refused = try await agent.send(
                .post,
                "/console/known-errors",
                form: [
                    "_csrf": token, "title": "Printer", "symptom": "Blank", "rootCause": "", "workaround": "Calibrate",
                    "lowestTier": "L1", "fixStatus": "workaround_only",
                ]
            )
            #expect(
                refused.status == .unprocessableContent && refused.text.contains("rootCause must not be empty")
                    && refused.text.contains(#"value="Printer""#)
            )
            let saved = try await agent.send(
                .post,
                "/console/known-errors",
                form: [
                    "_csrf": token, "title": "Printer blank", "symptom": "Blank labels", "rootCause": "Sensor",
                    "workaround": "Calibrate", "lowestTier": "L1", "fixStatus": "workaround_only",
                ]
            )
            #expect(saved.status == .seeOther)
        }
    }
}
