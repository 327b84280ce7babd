import Foundation
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Checklist breaches and the weekly digest reach managers by mail through the outbox, once each.
struct ReportMailTests {
    static let t0 = ServerFixture.t0  // Monday 21 September 2026, 16:13 in Berlin

    func manager(_ f: ServerFixture, _ key: String) async throws -> Person {
        try await f.components.directoryDesk.createPerson(
            email: "\(key)@example.com",
            name: key.capitalized,
            roles: [.manager],
            tier: nil,
            organisationID: nil,
            vendorID: nil,
            password: ServerFixture.password
        )
    }

    @Test func aManagerStopsAndRestartsTheDigestOnTheReportsPage() async throws {
        try await ServerFixture.with { f in
            let maria = try await manager(f, "maria")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn(maria.email)
            let page = try await browser.send(.get, "/console/reports")
            #expect(page.text.contains("Stop the weekly digest"))
            let token = try #require(Browser.csrf(in: page.text))
            let stopped = try await browser.send(
                .post,
                "/console/reports/digest",
                form: ["_csrf": token, "subscribed": "false"]
            )
            #expect(stopped.headers[.location] == "/console/reports?notice=digest-off")
            #expect(try await f.components.reportDesk.digestSubscription(for: maria.actor) == false)
            let after = try await browser.send(.get, "/console/reports?notice=digest-off")
            #expect(after.text.contains("The weekly digest is stopped."))
            #expect(after.text.contains("Mail me the weekly digest"))
            // Without the session's token nothing changes.
            _ = try await browser.send(
                .post,
                "/console/reports/digest",
                form: ["_csrf": "forged", "subscribed": "true"]
            )
            #expect(try await f.components.reportDesk.digestSubscription(for: maria.actor) == false)
            // Admins get no digest, so they get no form.
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            #expect(!(try await admin.send(.get, "/console/reports").text.contains("weekly digest</button>")))
        }
    }

    /// The mails queued under keys that start with `prefix`.
    func mails(_ f: ServerFixture, _ prefix: String) async throws -> [OutgoingMail] {
        try await f.components.outbox.list(status: nil).filter { $0.channel == .mail && $0.key.hasPrefix(prefix) }
            .map { try JSONDecoder().decode(OutgoingMail.self, from: $0.payload) }
    }

    @Test func aSev1LeftUnansweredAndAMissedWeekAreMailedToManagersOnce() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let maria = try await manager(f, "maria")
            let lena = try #require(f.people["lena"])
            let alice = try #require(f.people["alice"])
            // Last week two tickets were resolved, both at L2: the L1 rate is 0 %.
            for day in ["2026-09-15T09:00:00Z", "2026-09-16T09:00:00Z"] {
                let desk = f.components.with(clock: FixedClock(Timestamp.parse(day)!)).ticketDesk
                var draft = TicketDraft(title: "Order stuck", description: "d")
                draft.requesterID = alice.id
                let ticket = try await desk.open(draft, by: lena)
                var request = EscalationRequest(reason: "Data", tried: "Reload")
                request.noEvidenceReason = "Nothing logged"
                let escalated = try await desk.escalate(
                    ticket.reference,
                    request: request,
                    expectedVersion: 1,
                    by: lena.actor
                )
                _ = try await desk.changeStatus(
                    ticket.reference,
                    to: .resolved,
                    comment: "Fixed",
                    expectedVersion: escalated.version,
                    by: f.people["omar"]!.actor
                )
            }
            // A Sev1 opened 20 minutes ago that nobody answered.
            let desk = f.components.with(clock: FixedClock(Self.t0.addingTimeInterval(-20 * 60))).ticketDesk
            var draft = TicketDraft(title: "Line 3 halted", description: "d", severity: .sev1)
            draft.requesterID = alice.id
            let sev1 = try await desk.open(draft, by: lena)

            let alerts = try await f.components.reportDesk.raiseChecklistAlerts(at: Self.t0)
            #expect(
                Set(alerts.map(\.key)).isSuperset(of: ["sev1_response:\(sev1.reference)", "l1_resolution:2026-W38"])
            )
            _ = try await f.components.reportDesk.raiseChecklistAlerts(at: Self.t0.addingTimeInterval(300))
            let sent = try await mails(f, "checklist:")
            #expect(sent.count == alerts.count, "\(sent.map(\.subject)) \(alerts.map(\.key))")
            #expect(sent.allSatisfy { $0.to.map(\.address) == [maria.email] && $0.autoSubmitted == .autoGenerated })
            #expect(sent.contains { $0.subject == "Checklist missed: Sev1 response · \(sev1.reference)" })
            #expect(sent.contains { $0.subject == "Checklist missed: L1 resolution rate 0 % in 2026-W38" })
        }
    }

    @Test func theDigestGoesOutOnMondayMorningToManagersWhoDidNotStopIt() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let maria = try await manager(f, "maria")
            let noah = try await manager(f, "noah")
            let desk = f.components.reportDesk
            try await desk.setDigest(false, for: noah.actor)
            #expect(try await desk.digestSubscription(for: noah.actor) == false)
            #expect(try await desk.digestSubscription(for: maria.actor) == true)
            // The job may send this week's digest as the server starts; the test follows next Monday's.
            // Before 08:00 in Berlin nothing is sent, and the digest is due at 08:00.
            let early = Timestamp.parse("2026-09-28T05:00:00Z")!
            #expect(try await desk.sendDigestIfDue(at: early) == Timestamp.parse("2026-09-28T06:00:00Z")!)
            #expect(try await mails(f, "digest:2026-W39").isEmpty)
            let monday = Timestamp.parse("2026-09-28T07:00:00Z")!
            #expect(try await desk.sendDigestIfDue(at: monday) == Timestamp.parse("2026-10-05T06:00:00Z")!)
            _ = try await desk.sendDigestIfDue(at: monday.addingTimeInterval(600))
            let sent = try await mails(f, "digest:2026-W39")
            #expect(sent.map { $0.to.map(\.address) } == [[maria.email]])
            #expect(sent.first?.subject.hasPrefix("Weekly checklist 2026-W39") == true)
            #expect(sent.first?.text.contains("- L1 resolution rate: no data") == true)
            // A day late is too late: Tuesday sends nothing.
            _ = try await desk.sendDigestIfDue(at: Timestamp.parse("2026-10-06T07:00:00Z")!)
            #expect(try await mails(f, "digest:2026-W40").isEmpty)
            // Agents and customers have no digest to start or stop.
            #expect(
                try await f.call(.put, "/api/v1/reports/digest", as: "lena", json: #"{"subscribed":true}"#).status
                    == .forbidden
            )
            #expect(try await f.call(.get, "/api/v1/reports/digest", as: "admin").status == .forbidden)
            let bad = try await f.call(.put, "/api/v1/reports/digest", as: "admin", json: #"{"subscribed":"yes"}"#)
            #expect(try bad.problemFields() == ["subscribed"])
        }
    }
}
