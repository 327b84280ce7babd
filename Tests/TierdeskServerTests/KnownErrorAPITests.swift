import Foundation
import Testing
import TierdeskCore
@testable import TierdeskServer

/// The Known Error Database over HTTP: writing, suggesting, resolving from it, and one article per confirmed fix.
@Suite struct KnownErrorAPITests {
    static let scanner = #"{"title": "Scanner unresponsive at goods receipt", "symptom": "Handheld scanners freeze and stop reading barcodes.", "rootCause": "A low battery drops the Wi-Fi profile.", "workaround": "Replace the battery, then re-join the GR Wi-Fi profile."}"#

    @Test func articlesAreSuggestedAppliedAndRequiredForConfirmedFixes() async throws {
        try await ServerFixture.with { f in
            #expect(try await f.call(.post, "/api/v1/known-errors", as: "alice", json: Self.scanner).status == .forbidden)
            let bad = try await f.call(.post, "/api/v1/known-errors", as: "lena", json: #"{"title": " ", "symptom": "x", "rootCause": "y", "workaround": "", "lowestTier": "L4", "serviceIds": ["\#(UUID())"], "problemTicket": "TD-9999"}"#)
            #expect(try bad.status == .unprocessableContent && bad.problemFields() == ["serviceIds[0]", "problemTicket", "title", "workaround", "lowestTier"])
            let created = try await f.call(.post, "/api/v1/known-errors", as: "lena", json: Self.scanner)
            #expect(created.status == .created)
            #expect(try created.json()["reference"] as? String == "KE-1" && created.json()["lowestTier"] as? String == "L1")
            let erp = try await f.call(.post, "/api/v1/known-errors", as: "omar", json: #"{"title": "ERP posting fails with M7 021", "symptom": "Goods movements rejected.", "rootCause": "ERP support package defect.", "workaround": "Post manually in the ERP.", "lowestTier": "L2", "fixStatus": "fix_in_progress"}"#)
            #expect(try erp.json()["reference"] as? String == "KE-2")

            let reference = try await f.openTicket(as: "alice", title: "Scanner froze at goods receipt")
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)/suggestions", as: "alice").status == .forbidden)
            let suggested = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await f.call(.get, "/api/v1/tickets/\(reference)/suggestions", as: "lena").body)) as? [[String: Any]])
            #expect(suggested.first?["reference"] as? String == "KE-1")
            #expect(try await f.call(.get, "/api/v1/known-errors?q=barcodes%20freeze", as: "lena").text.contains("KE-1"))
            #expect(try await f.call(.get, "/api/v1/known-errors", as: "carol").status == .forbidden)

            // "Confirmed defect, fixed" needs an article; L1 may not apply an article documented for L2 and up.
            let unlinked = try await f.call(.post, "/api/v1/tickets/\(reference)/status", as: "lena", json: #"{"version": 1, "status": "resolved", "resolution": "confirmed_defect_fixed"}"#)
            #expect(try unlinked.status == .unprocessableContent && unlinked.problemFields() == ["resolution"])
            let tooLow = try await f.call(.post, "/api/v1/tickets/\(reference)/known-error", as: "lena", json: #"{"version": 1, "knownError": "KE-2"}"#)
            #expect(tooLow.status == .forbidden && tooLow.text.contains("from L2 up"))
            #expect(try await f.call(.post, "/api/v1/tickets/\(reference)/known-error", as: "lena", json: #"{"version": 1, "knownError": "KE-77"}"#).status == .unprocessableContent)

            // L1 resolves it from the KEDB: the requester gets the workaround, the tier is recorded.
            let resolved = try await f.call(.post, "/api/v1/tickets/\(reference)/known-error", as: "lena", json: #"{"version": 1, "knownError": "KE-1", "resolve": true}"#)
            let ticket = try resolved.json()
            #expect(ticket["status"] as? String == "resolved" && ticket["resolution"] as? String == "known_error" && ticket["knownErrorId"] as? String != nil)
            let seen = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(seen.contains("re-join the GR Wi-Fi profile") && !seen.contains("Resolved from KEDB"))
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena").text.contains("Resolved from KEDB at L1"))

            // L2 links the defect's article and closes it as a confirmed defect, fixed.
            let defect = try await f.openTicket(as: "alice", title: "ERP posting fails")
            let linked = try await f.call(.post, "/api/v1/tickets/\(defect)/known-error", as: "omar", json: #"{"version": 1, "knownError": "KE-2"}"#)
            #expect(try linked.json()["status"] as? String == "new")
            let fixed = try await f.call(.post, "/api/v1/tickets/\(defect)/status", as: "omar", json: #"{"version": 2, "status": "resolved", "resolution": "confirmed_defect_fixed", "comment": "Fixed by the vendor patch."}"#)
            #expect(try fixed.json()["resolution"] as? String == "confirmed_defect_fixed")
            // Reopening clears the resolution.
            let reopened = try await f.call(.post, "/api/v1/tickets/\(defect)/status", as: "omar", json: #"{"version": 3, "status": "in_progress"}"#)
            #expect(try reopened.json()["resolution"] is NSNull)

            let changed = try await f.call(.put, "/api/v1/known-errors/KE-1", as: "omar", json: #"{"title": "Scanner unresponsive", "symptom": "Freezes.", "rootCause": "Battery.", "workaround": "Swap the battery.", "fixStatus": "fixed"}"#)
            #expect(try changed.json()["fixStatus"] as? String == "fixed")
            #expect(try await f.call(.get, "/api/v1/known-errors/KE-9", as: "lena").status == .notFound)
        }
    }
}
