import Foundation
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

@Suite struct SLAPreviewAPITests {
    @Test func previewFollowsTheContract() async throws {
        try await ServerFixture.with { f in
            let scenario =
                #"{"calendar": {"timeZone": "Europe/Berlin", "weekly": {"mon": [{"start": "08:00", "end": "17:00"}]}}, "targets": {"firstResponse": 60, "resolution": 120}, "timeline": [{"at": "2026-03-09T08:00:00Z", "event": "pause"}, {"at": "2026-03-06T21:30:00Z", "event": "created"}]}"#
            let response = try await f.call(.post, "/api/v1/sla/preview", as: "lena", json: scenario)
            #expect(response.status == .ok)
            let result = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: [String: Any]]
            #expect(result["firstResponse"]?["due"] as? String == "2026-03-09T08:00:00Z")
            #expect(result["firstResponse"]?["met"] is NSNull && result["firstResponse"]?["paused"] == nil)
            #expect(result["resolution"]?["due"] is NSNull && result["resolution"]?["paused"] as? Bool == true)
            #expect(try await f.call(.post, "/api/v1/sla/preview", as: "alice", json: scenario).status == .forbidden)
        }
    }

    @Test func invalidScenariosAre422NamingTheField() async throws {
        try await ServerFixture.with { f in
            let response = try await f.call(
                .post,
                "/api/v1/sla/preview",
                as: "lena",
                json:
                    #"{"calendar": {"timeZone": "Nowhere/City", "weekly": {"tue": [{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}}, "targets": {"resolution": -1}, "timeline": [{"at": "2026-03-06T21:30:00Z", "event": "opened"}]}"#
            )
            #expect(response.status == .unprocessableContent)
            #expect(
                try response.problemFields() == [
                    "calendar.timeZone", "calendar.weekly.tue[1]", "targets.resolution", "timeline[0].event",
                    "timeline",
                ]
            )
            let malformed = try await f.call(
                .post,
                "/api/v1/sla/preview",
                as: "lena",
                json: #"{"targets": [], "timeline": []}"#
            )
            #expect(try malformed.status == .badRequest && malformed.problemFields() == ["targets"])
        }
    }
}

@Suite struct TicketSLATests {
    @Test func clocksAreShownInTheAPIAndOnTheTicketPage() async throws {
        try await ServerFixture.with { f in
            // The fixture's clock stands at 2026-09-21T14:13:20Z, a Monday (16:13 in Berlin).
            let reference = try await f.openTicket(as: "alice")
            let response = try await f.call(.get, "/api/v1/tickets/\(reference)/sla", as: "alice")
            #expect(response.status == .ok)
            let clocks = try #require(try response.json()["clocks"] as? [[String: Any]])
            #expect(clocks.map { $0["kind"] as! String } == ["firstResponse", "resolution"])
            // P3: 8 working hours to answer, 9 to resolve, in office hours 08:00–17:00 Europe/Berlin.
            #expect(clocks[0]["due"] as? String == "2026-09-22T13:13:20Z" && clocks[0]["state"] as? String == "running")
            #expect(clocks[0]["remainingMinutes"] as? Int == 480)
            #expect(clocks[1]["due"] as? String == "2026-09-22T14:13:20Z")
            #expect(try await f.call(.get, "/api/v1/tickets/\(reference)/sla", as: "carol").status == .notFound)

            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(page.text.contains("First response") && page.text.contains("8 h 0 min of business time left"))
        }
    }
}

@Suite struct DeadlineQueueTests {
    @Test func queuesPutTheSoonestDeadlineFirst() async throws {
        try await ServerFixture.with { f in
            let slow = try await f.openTicket(as: "alice", title: "Cosmetic glitch", extra: "")
            let alice = f.people["alice"]!.id.uuidString
            let urgent = try await f.openTicket(
                as: "lena",
                title: "Line 3 stopped",
                extra: #", "impact": "high", "urgency": "high", "requesterId": "\#(alice)""#
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(urgent)", as: "lena").json()
            #expect(ticket["nextDeadline"] as? String == "2026-09-21T14:28:20Z")
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let queue = try await browser.send(.get, "/console/queue?tier=L1").text
            let urgentAt = try #require(queue.range(of: ">\(urgent)<")).lowerBound
            let slowAt = try #require(queue.range(of: ">\(slow)<")).lowerBound
            #expect(urgentAt < slowAt)
            #expect(queue.contains(#"datetime="2026-09-21T14:28:20Z""#))
        }
    }
}

@Suite struct SLATimerTests {
    @Test func theTimerFiresDueAlarmsAndSaysWhenToLookAgain() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let job = SLATimerJob(desk: f.components.ticketDesk, logger: f.components.logger)
            func timer(at instant: String) -> JobLoop {
                JobLoop(job, clock: FixedClock(Timestamp.parse(instant)!), sleep: { _ in }, logger: f.components.logger)
            }
            // First response warns after 6 of its 8 working hours: Tuesday 11:13:20Z.
            #expect(await timer(at: "2026-09-22T11:13:19Z").tick() == .milliseconds(1001))
            #expect(await timer(at: "2026-09-21T14:13:20Z").tick() == job.longestSleep)
            // The next alarm (resolution warning) is 28 minutes away; the timer looks again within a minute for other instances' alarms.
            #expect(await timer(at: "2026-09-22T11:30:00Z").tick() == job.longestSleep)
            #expect(await timer(at: "2026-09-22T11:58:00Z").tick() == .milliseconds(20_001))
            let history = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena")
            let kinds = (try JSONSerialization.jsonObject(with: Data(buffer: history.body)) as! [[String: Any]])
                .compactMap { $0["kind"] as? String }
            #expect(kinds == ["created", "sla_alarm"])
            let asRequester = try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "alice")
            #expect(!asRequester.text.contains("sla_alarm"))
            #expect(await timer(at: "2026-09-30T00:00:00Z").tick() == job.longestSleep)
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/tickets/\(reference)")
            #expect(
                page.text.contains("SLA breached: resolution was due")
                    && page.text.contains("SLA warning: firstResponse falls due")
            )
        }
    }
}
