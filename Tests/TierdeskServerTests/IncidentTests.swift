import Foundation
import HTTPTypes
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Major incidents through the API: a Sev1 ticket declares one, updates reach every subscriber once in the
/// shape its channel expects, a missed update is recorded and pages the communications lead, the status
/// page shows only what updates said, and a Sev1 incident closes only with its review.
struct IncidentTests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    func detail(_ f: ServerFixture, _ reference: String) async throws -> IncidentDetailDTO {
        try await f.call(.get, "/api/v1/incidents/\(reference)", as: "lena").decoded(as: IncidentDetailDTO.self)
    }

    @Test func aSev1TicketDeclaresAnIncidentWhoseUpdatesReachSubscribersOnceAndWhoseMissPagesTheCommsLead()
        async throws
    {
        let receiver = try await Receiver()
        try await ServerFixture.with { f in
            let omar = try #require(f.people["omar"])
            let hook = "http://127.0.0.1:\(receiver.port)/hook"
            for kind in ["slack", "teams", "webhook"] {
                let body = #"{"kind":"\#(kind)","target":"\#(hook)","allowPrivateTargets":true}"#
                #expect(
                    try await f.call(.post, "/api/v1/settings/incident-subscribers", as: "lena", json: body).status
                        == .forbidden
                )
                #expect(
                    try await f.call(.post, "/api/v1/settings/incident-subscribers", as: "admin", json: body).status
                        == .created
                )
            }
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/settings/incident-subscribers",
                        as: "admin",
                        json: #"{"kind":"email","target":"not an address"}"#
                    )
                    .problemFields() == ["target"]
            )
            let policy = try await f.call(
                .post,
                "/api/v1/oncall/policies",
                as: "admin",
                json: #"{"name":"Sev1","steps":[{"personId":"\#(f.people["lena"]!.id)","waitMinutes":10}]}"#
            )
            #expect(policy.status == .created, "\(policy.text)")
            let policyID = try #require(try policy.json()["id"] as? String)
            let paging = try await f.call(
                .put,
                "/api/v1/settings/paging",
                as: "admin",
                json: #"{"sev1PolicyId":"\#(policyID)","allowPrivateTargets":false}"#
            )
            #expect(paging.status == .ok, "\(paging.text)")

            // A Sev1 ticket declares the incident; the status page says nothing until the first update.
            let reference = try await f.openTicket(
                as: "lena",
                title: "Acme line 3 scanners down",
                extra: #", "requester": "\#(f.people["alice"]!.id)", "severity": "Sev1""#
            )
            let listed = try await f.call(.get, "/api/v1/incidents", as: "lena").decoded(as: [IncidentDTO].self)
            #expect(listed.count == 1)
            let incident = try #require(listed.first)
            #expect(incident.origin == .sev1Ticket && incident.severity == .sev1 && incident.state == .investigating)
            #expect(try await f.call(.get, "/api/v1/incidents", as: "alice").status == .forbidden)
            #expect(try await detail(f, incident.reference).tickets == [reference])
            #expect(try await f.call(.get, "/api/v1/status").decoded(as: StatusPageDTO.self).current.isEmpty)
            // The ticket paged the Sev1 policy; who acknowledges that page leads the incident.
            #expect(incident.leadId == nil)
            let ticketPage = try #require(
                try await f.components.pages.list().first { $0.title == "Acme line 3 scanners down" }
            )
            #expect(try await f.call(.post, "/api/v1/pages/\(ticketPage.id)/acknowledge", as: "lena").status == .ok)
            let led = try await detail(f, incident.reference)
            #expect(led.incident.leadId == f.people["lena"]!.id && led.incident.version == 2)
            #expect(led.timeline.contains { $0.kind == .acknowledged && $0.text.contains("leads the incident") })

            // Name the communications lead and a public title.
            let amended = try await f.call(
                .patch,
                "/api/v1/incidents/\(incident.reference)",
                as: "lena",
                json: #"{"version":2,"commsLeadId":"\#(omar.id)","publicTitle":"Scanning unavailable"}"#
            )
            #expect(amended.status == .ok, "\(amended.text)")
            #expect(
                try await f
                    .call(
                        .patch,
                        "/api/v1/incidents/\(incident.reference)",
                        as: "lena",
                        json: #"{"version":1,"note":"x"}"#
                    )
                    .status == .conflict
            )

            // Preview, then send: one message per subscriber, each in its channel's shape.
            let input =
                #"{"version":3,"state":"investigating","symptom":"scanners <not> responding","impact":"Line 3 halted"}"#
            let preview = try await f.call(
                .post,
                "/api/v1/incidents/\(incident.reference)/updates/preview",
                as: "lena",
                json: input
            )
            let text = try preview.decoded(as: IncidentPreviewDTO.self).message
            #expect(text.hasPrefix("We are investigating scanners <not> responding"))
            #expect(text.contains("Impact: Line 3 halted"))
            #expect(try await f.components.outbox.list(status: nil).filter { $0.channel == .announcement }.isEmpty)
            let sent = try await f.call(
                .post,
                "/api/v1/incidents/\(incident.reference)/updates",
                as: "lena",
                json: input
            )
            #expect(sent.status == .created, "\(sent.text)")
            #expect(try sent.decoded(as: IncidentUpdateDTO.self).message == text)
            #expect(
                try await f.call(.post, "/api/v1/incidents/\(incident.reference)/updates", as: "lena", json: input)
                    .status
                    == .conflict
            )
            var bodies: [[String: Any]] = []
            for _ in 0..<3 {
                let received = try #require(await receiver.next())
                #expect(received.headers[HTTPField.Name("X-Tierdesk-Signature")!] != nil)
                bodies.append(try #require(try JSONSerialization.jsonObject(with: received.body) as? [String: Any]))
            }
            let slack = try #require(bodies.first { $0["blocks"] != nil })
            #expect((slack["text"] as? String)?.contains("Scanning unavailable") == true)
            let blocks = try #require(slack["blocks"] as? [[String: Any]])
            #expect(blocks.map { $0["type"] as? String } == ["header", "section", "context"])
            #expect(((blocks[1]["text"] as? [String: Any])?["text"] as? String)?.contains("&lt;not&gt;") == true)
            let teams = try #require(bodies.first { $0["attachments"] != nil })
            #expect(teams["type"] as? String == "message")
            let attachment = try #require((teams["attachments"] as? [[String: Any]])?.first)
            #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            let card = try #require(attachment["content"] as? [String: Any])
            #expect(card["type"] as? String == "AdaptiveCard" && card["version"] as? String == "1.4")
            let hookBody = try #require(bodies.first { $0["event"] != nil })
            #expect(hookBody["event"] as? String == "incident.update")
            for body in bodies {
                let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                #expect(!json.contains("Acme") && !json.contains(reference) && !json.contains("Omar"))
            }
            // One message per subscriber and update (a second wait would end the receiver's stream: it is
            // checked once, at the end).
            #expect(try await f.components.outbox.list(status: nil).count { $0.key.hasPrefix("incident-update:") } == 3)

            // The status page shows the update, and nothing internal.
            let status = try await f.call(.get, "/api/v1/status")
            #expect(status.headers[.cacheControl] == "public, max-age=60")
            let page = try status.decoded(as: StatusPageDTO.self)
            #expect(page.current.map(\.title) == ["Scanning unavailable"])
            for leak in ["Acme", reference, "Omar", "Lena", "line 3 scanners down"] {
                #expect(!status.text.contains(leak), "status JSON leaks \(leak)")
                #expect(!(try await f.call(.get, "/status").text.contains(leak)), "status page leaks \(leak)")
                #expect(!(try await f.call(.get, "/status.atom").text.contains(leak)), "feed leaks \(leak)")
            }
            #expect(try await f.call(.get, "/status").text.contains("scanners &lt;not&gt; responding"))
            #expect(try await f.call(.get, "/status.atom").text.contains("scanners &lt;not&gt; responding"))

            // Ten minutes before the next deadline the comms lead is reminded; past it the miss is recorded
            // and paged: the comms lead first, then the Sev1 policy. Each happens once.
            let due = try #require(
                try await detail(f, incident.reference).incident.nextUpdateDue.flatMap(Timestamp.parse)
            )
            let desk = f.components.incidentDesk
            // Omar also wants reminders in his own chat.
            _ = try await f.components.notificationDesk.save(
                NotificationPreferences(chatWebhook: "https://chat.example.com/hooks/omar"),
                by: omar.actor
            )
            #expect(try await desk.keepCadence(at: due.addingTimeInterval(-11 * 60)) == 0)
            #expect(try await desk.keepCadence(at: due.addingTimeInterval(-9 * 60)) == 1)
            #expect(try await desk.keepCadence(at: due.addingTimeInterval(-8 * 60)) == 0)
            let reminders = try await f.components.outbox.list(status: nil)
                .filter {
                    $0.key.hasPrefix("incident-reminder-chat:")
                }
            #expect(reminders.map(\.recipient) == ["https://chat.example.com/hooks/omar"])
            #expect(try await desk.keepCadence(at: due.addingTimeInterval(60)) == 1)
            #expect(try await desk.keepCadence(at: due.addingTimeInterval(120)) == 0)
            let missed = try await detail(f, incident.reference)
            #expect(missed.incident.missedUpdates == 1)
            #expect(missed.timeline.map(\.kind).contains(.updateReminder))
            #expect(missed.timeline.map(\.kind).contains(.updateMissed))
            let pages = try await f.components.pages.list()
            let page1 = try #require(pages.first { $0.title.hasPrefix(incident.reference) })
            #expect(page1.personID == omar.id)
            let events = try await f.components.pages.events(of: page1.id)
            #expect(events.contains { $0.kind == .notified && $0.personID == omar.id })
            // The reports count the incident, its update and its miss.
            let figures = try await f.call(.get, "/api/v1/reports/figures", as: "admin").json()
            let counted = try #require(figures["incidents"] as? [String: Any])
            #expect(counted["declared"] as? Int == 1 && counted["sev1"] as? Int == 1)
            #expect(counted["updatesSent"] as? Int == 1 && counted["updatesMissed"] as? Int == 1)

            // Resolved, it closes only with its review.
            let resolved = try await f.call(
                .post,
                "/api/v1/incidents/\(incident.reference)/updates",
                as: "lena",
                json: #"{"version":\#(missed.incident.version),"state":"resolved","symptom":"scanner errors"}"#
            )
            #expect(resolved.status == .created, "\(resolved.text)")
            var version = try await detail(f, incident.reference).incident.version
            let refused = try await f.call(
                .post,
                "/api/v1/incidents/\(incident.reference)/close",
                as: "lena",
                json: #"{"version":\#(version)}"#
            )
            #expect(refused.status == .conflict && refused.text.contains("review"))
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/incidents/\(incident.reference)/review",
                        as: "lena",
                        json:
                            #"{"version":\#(version),"review":{"summary":"","impact":"x","rootCause":"y","actionItems":[{"title":"t","due":"soon"}]}}"#
                    )
                    .problemFields() == ["summary", "actionItems[0].due"]
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/incidents/\(incident.reference)/review",
                        as: "lena",
                        json:
                            #"{"version":\#(version),"review":{"summary":"s","impact":"i","rootCause":"r","knownError":"KE-999"}}"#
                    )
                    .problemFields() == ["knownError"]
            )
            let reviewed = try await f.call(
                .put,
                "/api/v1/incidents/\(incident.reference)/review",
                as: "lena",
                json:
                    #"{"version":\#(version),"review":{"summary":"Scanner firmware","impact":"Line 3 halted 70 min","rootCause":"Firmware push","actionItems":[{"title":"Stage firmware","due":"2026-10-01","ticket":"\#(reference)"},{"title":"Monitor the scanner gateway","ownerId":"\#(omar.id)"}]}}"#
            )
            #expect(reviewed.status == .ok, "\(reviewed.text)")
            let withReview = try reviewed.decoded(as: IncidentDetailDTO.self)
            version = withReview.incident.version
            // The item without a ticket got a problem ticket of its own, owned by Omar and linked.
            let tracked = try #require(withReview.review?.actionItems?.last?.ticket)
            #expect(withReview.tickets.contains(tracked) && tracked != reference)
            let problem = try await f.call(.get, "/api/v1/tickets/\(tracked)", as: "lena").json()
            #expect(problem["type"] as? String == "problem" && problem["ownerId"] as? String == omar.id.uuidString)
            #expect(withReview.impact.tickets == 2 && withReview.impact.organisations == 1)
            #expect(withReview.timeline.contains { $0.kind == .ticketOpened })
            // A version no incident can have is a conflict, not a crash.
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/incidents/\(incident.reference)/close",
                        as: "lena",
                        json: #"{"version":9223372036854775807}"#
                    )
                    .status == .conflict
            )
            let closed = try await f.call(
                .post,
                "/api/v1/incidents/\(incident.reference)/close",
                as: "lena",
                json: #"{"version":\#(version)}"#
            )
            #expect(try closed.decoded(as: IncidentDetailDTO.self).incident.state == .closed)
            // The review, shared, reaches each subscriber once as the review template writes it.
            for _ in 0..<2 {
                let shared = try await f.call(.post, "/api/v1/incidents/\(incident.reference)/review/share", as: "lena")
                #expect(try shared.json()["subscribers"] as? Int == 3)
            }
            // The resolved update reached the three subscribers first; then the review, once each.
            var texts: [String] = []
            for _ in 0..<6 { texts.append(String(decoding: try #require(await receiver.next()).body, as: UTF8.self)) }
            let reviews = texts.filter { $0.contains("Post-incident review of \(incident.reference)") }
            #expect(reviews.count == 3 && reviews.allSatisfy { !$0.contains("Acme") && !$0.contains("Omar") })
            #expect(await receiver.next(within: 1) == nil)
            await receiver.stop()
        }
    }

    @Test func declaringByHandChecksItsInputAndTheTicketsTheCallerMaySee() async throws {
        try await ServerFixture.with { f in
            let theirs = try await f.openTicket(as: "carol", title: "Globex printer")
            let invalid = try await f.call(
                .post,
                "/api/v1/incidents",
                as: "lena",
                json: #"{"title":" ","severity":"Sev3"}"#
            )
            #expect(try invalid.problemFields() == ["title", "severity"], "\(invalid.text)")
            #expect(
                try await f.call(.post, "/api/v1/incidents", as: "alice", json: #"{"title":"x","severity":"Sev2"}"#)
                    .status == .forbidden
            )
            let declared = try await f.call(
                .post,
                "/api/v1/incidents",
                as: "lena",
                json: #"{"title":"ERP slow","severity":"Sev2","tickets":["\#(theirs)"]}"#
            )
            #expect(declared.status == .created, "\(declared.text)")
            let detail = try declared.decoded(as: IncidentDetailDTO.self)
            #expect(detail.incident.leadId == f.people["lena"]!.id)
            #expect(detail.incident.organisationIds == [f.globex.id])
            #expect(detail.reviewRequired == false)
            #expect(try await f.call(.get, "/api/v1/incidents/INC-999", as: "lena").status == .notFound)
            let policy = try await f.call(.get, "/api/v1/settings/incidents", as: "lena")
                .decoded(as: IncidentPolicy.self)
            #expect(policy.sev1UpdateMinutes == 60 && policy.sev2UpdateMinutes == 240)
            var broken = policy
            broken.templates.resolved = "{{#open}}never closed"
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/incidents",
                        as: "admin",
                        json: String(decoding: try JSONEncoder().encode(broken), as: UTF8.self)
                    )
                    .problemFields() == ["templates.resolved"]
            )
        }
    }
}

/// Major incidents in the console and the portal.
struct IncidentPageTests {
    @Test func anAgentDeclaresPreviewsSendsReviewsAndClosesInTheConsole() async throws {
        try await ServerFixture.with { f in
            let ticket = try await f.openTicket(as: "alice", title: "Scanner <b>down</b>")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let list = try await lena.send(.get, "/console/incidents")
            #expect(list.text.contains("No major incident is active."))
            let token = try #require(Browser.csrf(in: list.text))
            let refused = try await lena.send(
                .post,
                "/console/incidents",
                form: ["_csrf": token, "title": "", "severity": "Sev1", "tickets": ticket]
            )
            #expect(refused.status == .unprocessableContent && refused.text.contains("title must not be empty"))
            let declared = try await lena.send(
                .post,
                "/console/incidents",
                form: [
                    "_csrf": token, "title": "Scanners at Acme", "publicTitle": "Scanning unavailable",
                    "severity": "Sev1",
                    "tickets": ticket,
                ]
            )
            let location = try #require(declared.headers[.location])
            #expect(location == "/console/incidents/INC-1?notice=declared")
            let page = try await lena.send(.get, location)
            #expect(page.text.contains("Scanners at Acme") && page.text.contains("/console/tickets/\(ticket)"))
            #expect(page.text.contains("Times in Europe/Berlin"))
            _ = try await f.components.notificationDesk.save(
                NotificationPreferences(timeZone: "America/New_York"),
                by: f.people["lena"]!.actor
            )
            #expect(try await lena.send(.get, location).text.contains("Times in America/New_York"))
            #expect(page.text.contains("None yet"))
            let update = [
                "_csrf": token, "version": "1", "state": "investigating", "symptom": "scanners <b>time out</b>",
            ]
            let previewed = try await lena.send(
                .post,
                "/console/incidents/INC-1/updates",
                form: update.merging(["action": "preview"]) { $1 }
            )
            #expect(previewed.text.contains("We are investigating scanners &lt;b&gt;time out&lt;/b&gt;"))
            #expect(!previewed.text.contains("<b>time out"))
            let sent = try await lena.send(
                .post,
                "/console/incidents/INC-1/updates",
                form: update.merging(["action": "send"]) { $1 }
            )
            #expect(sent.headers[.location] == "/console/incidents/INC-1?notice=sent")
            // The ticket's page names the incident that covers it.
            let ticketPage = try await lena.send(.get, "/console/tickets/\(ticket)")
            #expect(ticketPage.text.contains("Covered by major incident"))
            // Resolve, review, print and close.
            _ = try await lena.send(
                .post,
                "/console/incidents/INC-1/updates",
                form: ["_csrf": token, "version": "2", "state": "resolved", "action": "send"]
            )
            let early = try await lena.send(
                .post,
                "/console/incidents/INC-1/close",
                form: ["_csrf": token, "version": "3"]
            )
            #expect(early.status == .conflict && early.text.contains("post-incident review"))
            let badItems = try await lena.send(
                .post,
                "/console/incidents/INC-1/review",
                form: [
                    "_csrf": token, "version": "3", "summary": "Firmware", "impact": "Line 3 halted",
                    "rootCause": "Push",
                    "actionItems": "Stage firmware | nobody@example.com | 2026-10-01",
                ]
            )
            #expect(badItems.status == .unprocessableContent && badItems.text.contains("nobody@example.com"))
            let reviewed = try await lena.send(
                .post,
                "/console/incidents/INC-1/review",
                form: [
                    "_csrf": token, "version": "3", "summary": "Scanner firmware broke scanning.",
                    "impact": "Line 3 halted", "rootCause": "A firmware push", "contributingFactors": "No staging ring",
                    "actionItems": "Stage firmware | omar@example.com | 2026-10-01 | \(ticket)",
                    "customerSummary": "A faulty update stopped scanning; it is rolled back.",
                ]
            )
            #expect(reviewed.headers[.location] == "/console/incidents/INC-1?notice=reviewed")
            let printable = try await lena.send(.get, "/console/incidents/INC-1/review")
            #expect(printable.text.contains("No staging ring") && printable.text.contains("Omar"))
            let closed = try await lena.send(
                .post,
                "/console/incidents/INC-1/close",
                form: ["_csrf": token, "version": "4"]
            )
            #expect(closed.headers[.location] == "/console/incidents?notice=closed")

            // Acme's requester reads the customer version; Globex's does not learn it exists.
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let customer = try await alice.send(.get, "/portal/incidents/INC-1/review")
            #expect(customer.status == .ok)
            #expect(customer.text.contains("A faulty update stopped scanning"))
            for secret in ["No staging ring", "Omar", "Scanners at Acme", "Scanner firmware broke", ticket] {
                #expect(!customer.text.contains(secret), "the customer version shows \(secret)")
            }
            var carol = Browser(fixture: f)
            _ = try await carol.logIn("carol@example.com")
            #expect(try await carol.send(.get, "/portal/incidents/INC-1/review").status == .notFound)
            #expect(try await carol.send(.get, "/console/incidents").status != .ok)
        }
    }

    @Test func managersEditTheCadenceTemplatesAndSubscribersAgentsReadThem() async throws {
        try await ServerFixture.with { f in
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let read = try await lena.send(.get, "/console/incident-settings")
            #expect(read.status == .ok && read.text.contains("value=\"60\"") && !read.text.contains("policy-save"))
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let page = try await admin.send(.get, "/console/incident-settings")
            let token = try #require(Browser.csrf(in: page.text))
            var form = [
                "_csrf": token, "sev1UpdateMinutes": "30", "sev2UpdateMinutes": "120", "reminderMinutes": "45",
                "declareOnSev1": "1", "burstTickets": "0", "burstMinutes": "15",
                "investigating": "Looking into {{symptom}}.", "identified": "Found it.", "monitoring": "Watching.",
                "resolved": "Fixed.", "review": "Review of {{reference}}: {{summary}}",
            ]
            let refused = try await admin.send(.post, "/console/incident-settings", form: form)
            #expect(refused.status == .unprocessableContent && refused.text.contains("reminderMinutes"))
            form["reminderMinutes"] = "5"
            let saved = try await admin.send(.post, "/console/incident-settings", form: form)
            #expect(saved.headers[.location] == "/console/incident-settings?notice=saved")
            let policy = try await f.components.incidentDesk.policy()
            #expect(policy.sev1UpdateMinutes == 30 && policy.burstTickets == 0 && policy.templates.resolved == "Fixed.")
            let added = try await admin.send(
                .post,
                "/console/incident-settings/subscribers",
                form: [
                    "_csrf": token, "kind": "email", "target": "ops@example.com", "service": "",
                    "organisation": "\(f.acme.id)",
                ]
            )
            #expect(added.headers[.location] == "/console/incident-settings?notice=added")
            let listed = try await admin.send(.get, "/console/incident-settings")
            #expect(listed.text.contains("ops@example.com") && listed.text.contains("Acme"))
            let subscriber = try #require(
                try await f.components.incidentDesk.subscribers(for: f.people["admin"]!.actor).first
            )
            let removed = try await admin.send(
                .post,
                "/console/incident-settings/subscribers/\(subscriber.id)/remove",
                form: ["_csrf": token]
            )
            #expect(removed.headers[.location] == "/console/incident-settings?notice=removed")
        }
    }
}

/// SLA warnings and breaches leave the console by mail and chat, held by quiet hours except for Sev1.
struct NotificationDeliveryTests {
    @Test func breachesAreMailedAndChattedAtOnceForSev1AndAfterTheQuietHoursOtherwise() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let lena = try #require(f.people["lena"])
            #expect(
                try await f.call(.put, "/api/v1/settings/paging", as: "admin", json: #"{"allowPrivateTargets":true}"#)
                    .status == .ok
            )
            #expect(try await f.call(.get, "/api/v1/notifications/preferences", as: "alice").status == .forbidden)
            let refused = try await f.call(
                .put,
                "/api/v1/notifications/preferences",
                as: "lena",
                json: #"{"email":true,"timeZone":"Europe/Berlin","quietHours":{"start":"22:00","end":"7"}}"#
            )
            #expect(try refused.problemFields() == ["quietHours.end"])
            let saved = try await f.call(
                .put,
                "/api/v1/notifications/preferences",
                as: "lena",
                json:
                    #"{"email":true,"chatWebhook":"http://127.0.0.1:9/hook","page":true,"timeZone":"Europe/Berlin","quietHours":{"start":"22:00","end":"07:00"}}"#
            )
            #expect(saved.status == .ok, "\(saved.text)")
            // Paged through her contacts too: a webhook of her own.
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/people/\(lena.id)/paging-contacts",
                        as: "lena",
                        json: #"{"methods":[{"kind":"webhook","address":"http://127.0.0.1:9/pager"}]}"#
                    )
                    .status == .ok
            )
            var references: [Severity: String] = [:]
            for severity in [Severity.sev1, .sev3] {
                references[severity] = try await f.openTicket(
                    as: "lena",
                    title: "Printer \(severity.rawValue)",
                    extra:
                        #", "requester": "\#(f.people["alice"]!.id)", "severity": "\#(severity.rawValue)", "ownerId": "\#(lena.id)""#
                )
            }
            // 02:00 in Berlin, inside Lena's quiet hours; every clock of both tickets has run out.
            let night = Timestamp.parse("2026-09-30T00:00:00Z")!
            let job = SLATimerJob(desk: f.components.ticketDesk, logger: f.components.logger)
            _ = await JobLoop(job, clock: FixedClock(night), sleep: { _ in }, logger: f.components.logger).tick()
            let leaving = try await f.components.outbox.list(status: nil).filter { $0.key.hasPrefix("notification-") }
            let mails = leaving.filter { $0.channel == .mail }
            #expect(!mails.isEmpty && mails.allSatisfy { $0.recipient == "lena@example.com" })
            let sev1Mails = try mails.filter {
                try JSONDecoder().decode(OutgoingMail.self, from: $0.payload).subject.hasPrefix("[Sev1]")
            }
            let sev3Mails = try mails.filter {
                try JSONDecoder().decode(OutgoingMail.self, from: $0.payload).subject.hasPrefix("[Sev3]")
            }
            #expect(!sev1Mails.isEmpty && !sev3Mails.isEmpty)
            #expect(sev1Mails.allSatisfy { $0.nextAttemptAt == night })
            // 07:00 CEST is 05:00 UTC.
            #expect(sev3Mails.allSatisfy { $0.nextAttemptAt == Timestamp.parse("2026-09-30T05:00:00Z")! })
            // Chat and page only for Sev1 and Sev2: Slack-shaped to the chat, a notification to the pager hook.
            let chats = leaving.filter { $0.key.hasSuffix("-chat") }
            let pages = leaving.filter { $0.key.hasSuffix("-page-0") }
            #expect(chats.count == sev1Mails.count && pages.count == sev1Mails.count)
            let paged = try JSONDecoder().decode(PageRequest.self, from: try #require(pages.first).payload)
            #expect(paged.url == "http://127.0.0.1:9/pager")
            #expect(String(decoding: paged.body, as: UTF8.self).contains(#""type":"notification.sla""#))
            let request = try JSONDecoder().decode(PageRequest.self, from: try #require(chats.first).payload)
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: String])
            #expect(body["text"]?.hasPrefix("[Sev1] \(references[.sev1]!)") == true)
            // Running the timer again queues nothing twice.
            _ = await JobLoop(job, clock: FixedClock(night), sleep: { _ in }, logger: f.components.logger).tick()
            #expect(
                try await f.components.outbox.list(status: nil).count { $0.key.hasPrefix("notification-") }
                    == leaving.count
            )
            // The console shows and saves the same settings.
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/notifications")
            #expect(page.text.contains("value=\"22:00\"") && page.text.contains("http://127.0.0.1:9/hook"))
            // Her pages' times are shown in her zone.
            #expect(page.text.contains(#"<html lang="en" data-time-zone="Europe/Berlin">"#))
            let token = try #require(Browser.csrf(in: page.text))
            let off = try await browser.send(
                .post,
                "/console/notifications/preferences",
                form: ["_csrf": token, "chatWebhook": "", "timeZone": "", "quietStart": "", "quietEnd": ""]
            )
            #expect(off.headers[.location] == "/console/notifications?notice=saved")
            // Without a zone of her own, her browser's.
            let console = try await browser.send(.get, "/console")
            #expect(console.text.contains(#"<html lang="en">"#))
            // The header counts her unread notifications, until she reads them.
            let unread = try await f.components.notifications.unreadCount(personID: f.people["lena"]!.id)
            #expect(unread > 0)
            #expect(console.text.contains(#"<span class="badge" id="unread-count" aria-label="\#(unread) unread">"#))
            let read = try await browser.send(.post, "/console/notifications/read", form: ["_csrf": token])
            #expect(read.status == .seeOther)
            #expect(try await !browser.send(.get, "/console").text.contains("unread-count"))
            let now = try await f.call(.get, "/api/v1/notifications/preferences", as: "lena").json()
            #expect(now["email"] as? Bool == false && now["chatWebhook"] == nil)
        }
    }
}
