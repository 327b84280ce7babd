import Foundation
import Testing
import TierdeskCore
@testable import TierdeskServer

/// Escalating and returning tickets in the console goes through the same gates as the API.
@Suite struct EscalationWebTests {
    @Test func agentsEscalateWithEvidenceAndReturnWithANote() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("Escalate to L2") && page.text.contains(#"name="tried""#) && !page.text.contains("Return to"))
            let token = try #require(Browser.csrf(in: page.text))
            let refused = try await browser.send(.post, "/console/tickets/\(reference)/escalate", form: ["_csrf": token, "version": "1", "reason": "Beyond L1"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("tried say what L1 tried before escalating") && refused.text.contains("evidence attach a screenshot"))
            let done = try await browser.send(.post, "/console/tickets/\(reference)/escalate", form: ["_csrf": token, "version": "1", "reason": "Beyond L1", "tried": "Runbook R-12", "noEvidenceReason": "The terminal shows no error", "group": ""])
            #expect(done.status == .seeOther)
            let escalated = try await browser.send(.get, "/console/tickets/\(reference)?notice=escalated")
            #expect(escalated.text.contains("Ticket escalated.") && escalated.text.contains("escalated L1 → L2") && escalated.text.contains("Tried: Runbook R-12"))
            #expect(escalated.text.contains("Escalate to L3") && escalated.text.contains(#"name="reproductionSteps""#) && escalated.text.contains("Return to L1"))
            let back = try await browser.send(.post, "/console/tickets/\(reference)/deescalate", form: ["_csrf": token, "version": "2", "note": "Known error KE-7 applies; L1 can fix it"])
            #expect(back.status == .seeOther)
            let returned = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(returned.text.contains("returned the ticket L2 → L1") && returned.text.contains("Known error KE-7 applies"))
            // The requester never sees the evidence or the hand-offs.
            let asRequester = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice").text
            #expect(!asRequester.contains("Runbook R-12") && !asRequester.contains("escalated"))
        }
    }
}
