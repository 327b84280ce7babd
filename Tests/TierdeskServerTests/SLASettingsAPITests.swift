import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Admins edit SLA calendars and policies; open tickets follow at once. t0 is Monday 16:13:20 in Berlin.
@Suite struct SLASettingsAPITests {
    static let night =
        #"{"timeZone": "Europe/Berlin", "weekly": {"mon": [{"start": "22:00", "end": "24:00"}], "tue": [{"start": "00:00", "end": "06:00"}]}, "holidays": ["12-24"]}"#

    static func json(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body))
    }

    static func deadline(_ f: ServerFixture, _ reference: String) async throws -> String? {
        try (json(try await f.call(.get, "/api/v1/tickets/\(reference)", as: "lena")) as? [String: Any])?[
            "nextDeadline"
        ] as? String
    }

    @Test func adminsEditPoliciesAndOpenTicketsFollow() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let other = try await f.openTicket(as: "carol")
            #expect(try await Self.deadline(f, reference) == "2026-09-22T13:13:20Z")

            // Only admins change settings; requesters do not even read them.
            #expect(try await f.call(.get, "/api/v1/sla/calendars", as: "alice").status == .forbidden)
            #expect(
                try await f.call(.put, "/api/v1/sla/calendars/night", as: "lena", json: Self.night).status == .forbidden
            )
            let bad = try await f.call(
                .put,
                "/api/v1/sla/calendars/night",
                as: "admin",
                json:
                    #"{"timeZone": "Mars/Olympus", "weekly": {"mon": [{"start": "10:00", "end": "09:00"}]}, "holidays": ["13-45"]}"#
            )
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.text.contains("calendar.timeZone") && bad.text.contains("calendar.weekly.mon[0]")
                    && bad.text.contains("calendar.holidays[0]")
            )

            let saved = try await f.call(.put, "/api/v1/sla/calendars/night", as: "admin", json: Self.night)
            #expect(saved.status == .ok)
            let calendar = try #require(try Self.json(saved) as? [String: Any])
            #expect(
                calendar["name"] as? String == "night" && calendar["usedBy"] as? [String] == []
                    && calendar["holidays"] as? [String] == ["12-24"]
            )

            // Acme's tickets answer in 30 minutes around the clock and resolve in 2 hours of night time.
            let policy =
                #"{"scope": {"organisationId": "\#(f.acme.id)"}, "targets": {"P3": {"firstResponse": {"minutes": 30, "calendar": "24x7"}, "resolution": {"minutes": 120, "calendar": "night"}}}}"#
            let stored = try await f.call(.put, "/api/v1/sla/policies/acme", as: "admin", json: policy)
            #expect(stored.status == .ok)
            let body = try #require(try Self.json(stored) as? [String: Any])
            #expect(body["recomputedTickets"] as? Int == 1 && body["default"] as? Bool == false)
            #expect(
                (body["escalation"] as? [String: [String]])?["breach"] == [
                    "notifyOwner", "notifyGroupLead", "notifyManagers",
                ]
            )
            #expect(try await Self.deadline(f, reference) == "2026-09-21T14:43:20Z")
            #expect(try await Self.deadline(f, other) == "2026-09-22T13:13:20Z")
            let clocks = try await f.call(.get, "/api/v1/tickets/\(reference)/sla", as: "lena").text
            // Monday 22:00–24:00 in Berlin is 20:00–22:00Z.
            #expect(clocks.contains("2026-09-21T22:00:00Z"))

            // Mistakes name the field; a used calendar cannot go; the default policy stays.
            let wrong = try await f.call(
                .put,
                "/api/v1/sla/policies/acme2",
                as: "admin",
                json:
                    #"{"scope": {"organisationId": "\#(f.acme.id)"}, "targets": {"P3": {"resolution": {"minutes": 0, "calendar": "moon"}}}, "warningShare": 2}"#
            )
            #expect(wrong.status == .unprocessableContent)
            for field in [
                "policies.acme2.scope", "policies.acme2.targets.P3.resolution.minutes",
                "policies.acme2.targets.P3.resolution.calendar", "policies.acme2.warningShare",
            ] {
                #expect(wrong.text.contains(field), "\(field)")
            }
            let unknownScope = try await f.call(
                .put,
                "/api/v1/sla/policies/x",
                as: "admin",
                json: #"{"scope": {"serviceId": "\#(UUID())"}, "targets": {}}"#
            )
            #expect(unknownScope.status == .unprocessableContent && unknownScope.text.contains("scope.serviceId"))
            let inUse = try await f.call(.delete, "/api/v1/sla/calendars/night", as: "admin")
            #expect(inUse.status == .unprocessableContent && inUse.text.contains("acme"))
            #expect(
                try await f.call(.delete, "/api/v1/sla/policies/standard", as: "admin").status == .unprocessableContent
            )
            #expect(try await f.call(.delete, "/api/v1/sla/policies/nothing", as: "admin").status == .notFound)

            #expect(try await f.call(.delete, "/api/v1/sla/policies/acme", as: "admin").status == .noContent)
            #expect(try await Self.deadline(f, reference) == "2026-09-22T13:13:20Z")
            // Time off in lieu may take its working hours from the calendar; then it stays.
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"allowPrivateTargets":false,"workingHoursCalendar":"night"}"#
                    )
                    .status == .ok
            )
            let counted = try await f.call(.delete, "/api/v1/sla/calendars/night", as: "admin")
            #expect(counted.status == .unprocessableContent && counted.text.contains("time off in lieu"))
            #expect(
                try await f.call(.put, "/api/v1/settings/paging", as: "admin", json: #"{"allowPrivateTargets":false}"#)
                    .status == .ok
            )
            #expect(try await f.call(.delete, "/api/v1/sla/calendars/night", as: "admin").status == .noContent)
            #expect(try await f.call(.delete, "/api/v1/sla/calendars/night", as: "admin").status == .notFound)
            #expect(try await f.call(.delete, "/api/v1/sla/calendars/24x7", as: "admin").problemFields() == ["name"])
            let names = try #require(
                try Self.json(try await f.call(.get, "/api/v1/sla/calendars", as: "lena")) as? [[String: Any]]
            )
            .compactMap { $0["name"] as? String }
            #expect(names == ["24x7", "office"])
            let policies = try #require(
                try Self.json(try await f.call(.get, "/api/v1/sla/policies", as: "lena")) as? [[String: Any]]
            )
            #expect(policies.count == 1 && policies[0]["name"] as? String == "standard")
        }
    }

    @Test func holidaysComeFromAnICalendarFile() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice")
            let ics =
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260922\r\nSUMMARY:Plant holiday\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261126\r\nRRULE:FREQ=YEARLY;BYDAY=4TH\r\nSUMMARY:Thanksgiving\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            var calendarType = HTTPFields()
            calendarType[.contentType] = "text/calendar; charset=utf-8"
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/sla/calendars/office/holidays",
                        as: "lena",
                        body: ByteBuffer(string: ics),
                        headers: calendarType
                    )
                    .status == .forbidden
            )
            let imported = try await f.call(
                .post,
                "/api/v1/sla/calendars/office/holidays",
                as: "admin",
                body: ByteBuffer(string: ics),
                headers: calendarType
            )
            #expect(imported.status == .ok)
            let body = try #require(try SLASettingsAPITests.json(imported) as? [String: Any])
            #expect(body["added"] as? Int == 1 && body["recomputedTickets"] as? Int == 1)
            #expect((body["skipped"] as? [[String: String]])?.first?["summary"] == "Thanksgiving")
            #expect(((body["calendar"] as? [String: Any])?["holidays"] as? [String]) == ["2026-09-22"])
            // Tuesday is closed now: the first response moves to Wednesday 15:13:20 CEST.
            #expect(try await SLASettingsAPITests.deadline(f, reference) == "2026-09-23T13:13:20Z")

            var jsonType = HTTPFields()
            jsonType[.contentType] = "application/json"
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/sla/calendars/office/holidays",
                        as: "admin",
                        body: ByteBuffer(string: "{}"),
                        headers: jsonType
                    )
                    .status == .unsupportedMediaType
            )
            let notICS = try await f.call(
                .post,
                "/api/v1/sla/calendars/office/holidays",
                as: "admin",
                body: ByteBuffer(string: "2026-12-25"),
                headers: calendarType
            )
            #expect(notICS.status == .unprocessableContent && notICS.text.contains("BEGIN:VCALENDAR"))
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/sla/calendars/nowhere/holidays",
                        as: "admin",
                        body: ByteBuffer(string: ics),
                        headers: calendarType
                    )
                    .status == .notFound
            )
        }
    }

    @Test func alarmsNotifyTheOwnerTheGroupLeadAndTheManagers() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/groups/Desk",
                        as: "admin",
                        json: #"{"tier": "L1", "leadId": "\#(f.people["alice"]!.id)"}"#
                    )
                    .status == .unprocessableContent
            )
            #expect(
                try await f
                    .call(.put, "/api/v1/groups/Desk", as: "lena", json: #"{"tier": "L1", "leadId": "\#(omar.id)"}"#)
                    .status == .forbidden
            )
            #expect(
                try await f
                    .call(.put, "/api/v1/groups/Desk", as: "admin", json: #"{"tier": "L1", "leadId": "\#(omar.id)"}"#)
                    .status == .ok
            )
            #expect(try await f.call(.get, "/api/v1/groups", as: "lena").text.contains(omar.id.uuidString))
            let reference = try await f.openTicket(
                as: "lena",
                extra: #", "requesterId": "\#(f.people["alice"]!.id)", "group": "Desk", "ownerId": "\#(lena.id)""#
            )

            let timer = JobLoop(
                SLATimerJob(desk: f.components.ticketDesk, logger: f.components.logger),
                clock: FixedClock(Timestamp.parse("2026-09-30T00:00:00Z")!),
                sleep: { _ in },
                logger: f.components.logger
            )
            _ = await timer.tick()
            let mine = try #require(
                try SLASettingsAPITests.json(try await f.call(.get, "/api/v1/notifications", as: "lena"))
                    as? [[String: Any]]
            )
            #expect(mine.count == 4 && mine.allSatisfy { $0["ticket"] as? String == reference })
            let leads = try #require(
                try SLASettingsAPITests.json(try await f.call(.get, "/api/v1/notifications?unread=true", as: "omar"))
                    as? [[String: Any]]
            )
            #expect(leads.compactMap { $0["kind"] as? String } == ["sla_breach", "sla_breach"])
            let id = try #require(leads.first?["id"] as? String)
            #expect(try await f.call(.post, "/api/v1/notifications/\(id)/read", as: "lena").status == .notFound)
            #expect(try await f.call(.post, "/api/v1/notifications/\(id)/read", as: "omar").status == .noContent)
            #expect(
                try await f.call(.get, "/api/v1/notifications?unread=true", as: "omar").text
                    .components(separatedBy: "sla_breach").count == 2
            )
            #expect(try await f.call(.get, "/api/v1/notifications", as: "alice").text == "[]")

            var browser = Browser(fixture: f)
            _ = try await browser.logIn("omar@example.com")
            let page = try await browser.send(.get, "/console/notifications")
            #expect(page.text.contains(#"href="/console/tickets/\#(reference)""#) && page.text.contains("1 unread"))
            let token = try #require(Browser.csrf(in: page.text))
            #expect(
                try await browser.send(.post, "/console/notifications/read", form: ["_csrf": token]).status == .seeOther
            )
            #expect(try await browser.send(.get, "/console/notifications").text.contains("0 unread"))
        }
    }

    @Test func adminsEditSettingsInTheConsole() async throws {
        try await ServerFixture.with { f in
            var agent = Browser(fixture: f)
            _ = try await agent.logIn("lena@example.com")
            let readOnly = try await agent.send(.get, "/console/sla")
            #expect(
                readOnly.status == .ok && readOnly.text.contains("office") && !readOnly.text.contains("calendar-form")
            )

            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let page = try await admin.send(.get, "/console/sla?policy=standard")
            #expect(page.text.contains(#"name="P1.firstResponse.minutes" value="15""#))
            let token = try #require(Browser.csrf(in: page.text))
            let refused = try await admin.send(
                .post,
                "/console/sla/calendars",
                form: [
                    "_csrf": token, "name": "late", "timeZone": "Europe/Nowhere", "day.mon": "18:00-22:00",
                    "holidays": "",
                ]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(
                refused.text.contains("calendar.timeZone is not an IANA time zone")
                    && refused.text.contains(#"value="18:00-22:00""#)
            )
            let saved = try await admin.send(
                .post,
                "/console/sla/calendars",
                form: [
                    "_csrf": token, "name": "late", "timeZone": "Asia/Kolkata", "day.mon": "18:00-22:00, 22:30-23:30",
                    "holidays": "2026-10-02\n01-26",
                ]
            )
            #expect(saved.status == .seeOther)
            let policy = try await admin.send(
                .post,
                "/console/sla/policies",
                form: [
                    "_csrf": token, "name": "globex", "scope": "organisation:\(f.globex.id.uuidString)",
                    "P3.resolution.minutes": "45", "P3.resolution.calendar": "late",
                    "pause.on_hold": "on", "warningPercent": "50", "escalate.breach.raisePriority": "on",
                ]
            )
            #expect(policy.status == .seeOther)
            let tooLate = try await admin.send(
                .post,
                "/console/sla/policies",
                form: ["_csrf": token, "name": "late-warning", "P3.resolution.minutes": "45", "warningPercent": "150"]
            )
            #expect(
                tooLate.status == .unprocessableContent && tooLate.text.contains("must be a percentage from 1 to 99")
            )
            let after = try await admin.send(.get, "/console/sla?notice=policy")
            #expect(
                after.text.contains("Policy saved") && after.text.contains("45 min · late")
                    && after.text.contains("Warning at 50 %")
            )
            let stored = try #require(f.components.sla.current.policy(named: "globex"))
            #expect(
                stored.scope == .organisation(f.globex.id) && stored.pausingStatuses == [.onHold]
                    && stored.escalation[.breach] == [.raisePriority]
            )
            #expect(
                try await agent
                    .send(
                        .post,
                        "/console/sla/policies",
                        form: ["_csrf": Browser.csrf(in: readOnly.text) ?? "", "name": "x", "warningPercent": "75"]
                    )
                    .status == .forbidden
            )
        }
    }

    /// Another instance reads new settings within seconds; what it planned with the old ones meanwhile is recomputed.
    @Test func anotherInstanceCatchesUpWithNewSettings() async throws {
        try await ServerFixture.with { f in
            let other = try await ServerFixture.components(
                database: f.components.database,
                clock: FixedClock(ServerFixture.t0),
                logger: f.components.logger
            )
            let policy = #"{"targets": {"P3": {"firstResponse": {"minutes": 30, "calendar": "24x7"}}}}"#
            #expect(try await f.call(.put, "/api/v1/sla/policies/standard", as: "admin", json: policy).status == .ok)
            // The other instance still has the old settings cached and plans a new ticket with them.
            let alice = try #require(f.people["alice"])
            let ticket = try await other.ticketDesk.open(TicketDraft(title: "Late", description: "x"), by: alice)
            #expect(ticket.nextDeadline == Timestamp.parse("2026-09-22T13:13:20Z"))
            let later = FixedClock(ServerFixture.t0.addingTimeInterval(10))
            let timer = JobLoop(
                SLATimerJob(desk: other.ticketDesk, logger: other.logger),
                clock: later,
                sleep: { _ in },
                logger: other.logger
            )
            _ = await timer.tick()
            #expect(
                try await other.tickets.find(number: ticket.number)?.nextDeadline
                    == ServerFixture.t0.addingTimeInterval(30 * 60)
            )
            #expect(other.sla.takeReplanRequest() == false)
        }
    }

    /// Two server instances on one PostgreSQL database run their SLA timers at once: every alarm, notification,
    /// raised priority and reassignment happens exactly once.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["TIERDESK_TEST_DATABASE_URL"] != nil,
            "several instances share PostgreSQL only"
        )
    )
    func twoServerInstancesEscalateEachBreachOnce() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            #expect(
                try await f.call(.put, "/api/v1/groups/Desk", as: "admin", json: #"{"leadId": "\#(omar.id)"}"#).status
                    == .ok
            )
            let policy =
                #"{"targets": {"P3": {"firstResponse": {"minutes": 60, "calendar": "24x7"}, "resolution": {"minutes": 120, "calendar": "24x7"}}}, "escalation": {"warning": ["notifyOwner"], "breach": ["notifyGroupLead", "raisePriority", "reassignToGroupLead"]}}"#
            #expect(try await f.call(.put, "/api/v1/sla/policies/standard", as: "admin", json: policy).status == .ok)
            var references: [String] = []
            for _ in 0..<12 {
                references.append(
                    try await f.openTicket(
                        as: "lena",
                        extra:
                            #", "requesterId": "\#(f.people["alice"]!.id)", "group": "Desk", "ownerId": "\#(lena.id)""#
                    )
                )
            }
            let secondDatabase = try await TierdeskDatabase.open(
                f.components.database.location,
                logger: f.components.logger
            )
            let second = try await ServerFixture.components(
                database: secondDatabase,
                clock: FixedClock(ServerFixture.t0),
                logger: f.components.logger
            )
            let late = FixedClock(ServerFixture.t0.addingTimeInterval(86_400))
            let timers = [f.components, second]
                .map { components in
                    JobLoop(
                        SLATimerJob(desk: components.ticketDesk, logger: components.logger),
                        clock: late,
                        sleep: { _ in },
                        logger: components.logger
                    )
                }
            await withTaskGroup(of: Void.self) { group in
                for round in 0..<8 {
                    let timer = timers[round % 2]
                    group.addTask { _ = await timer.tick() }
                }
            }
            for timer in timers { _ = await timer.tick() }
            await secondDatabase.shutdown()
            for reference in references {
                let events = try #require(
                    try SLASettingsAPITests.json(
                        try await f.call(.get, "/api/v1/tickets/\(reference)/events", as: "lena")
                    ) as? [[String: Any]]
                )
                // Both P3 clocks warn and breach, in order: the first-response breach raises to P2 and hands the ticket to
                // Omar, the resolution breach raises to P1. This policy has no P1 or P2 targets, so nothing follows.
                #expect(events.filter { $0["kind"] as? String == "sla_alarm" }.count == 4, "\(reference)")
                #expect(
                    events.filter { $0["field"] as? String == "priority" }.compactMap { $0["after"] as? String } == [
                        "P2", "P1",
                    ],
                    "\(reference)"
                )
                #expect(
                    events.filter { $0["field"] as? String == "ownerId" }.compactMap { $0["after"] as? String } == [
                        omar.id.uuidString
                    ],
                    "\(reference)"
                )
            }
            let notifications = try #require(
                try SLASettingsAPITests.json(try await f.call(.get, "/api/v1/notifications", as: "omar"))
                    as? [[String: Any]]
            )
            // Omar: the first-response breach as lead, then the resolution warning as owner and its breach as lead.
            #expect(notifications.count == 12 * 3)
            #expect(
                try #require(
                    try SLASettingsAPITests.json(try await f.call(.get, "/api/v1/notifications", as: "lena"))
                        as? [[String: Any]]
                )
                .count == 12
            )
        }
    }
}
