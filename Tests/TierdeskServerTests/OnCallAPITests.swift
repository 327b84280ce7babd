import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TierdeskCore

@testable import TierdeskServer
@testable import TierdeskStore

/// On call through the real router: a Sev1 ticket pages the primary over a real HTTP webhook, the
/// secondary after the wait, and the signed link stops the chain; coverage gaps and calendar feeds
/// (parsed by Python's `icalendar`).
struct OnCallAPITests {
    typealias Receiver = WebhookDeliveryTests.Receiver

    /// Creates a schedule (lena primary, omar secondary, `secondaryHours` limiting the secondary) and returns its id.
    func schedule(_ f: ServerFixture, secondaryHours: String = "") async throws -> String {
        let lena = f.people["lena"]!.id
        let omar = f.people["omar"]!.id
        let body =
            #"{"name":"Production","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(lena)"],"startsOn":"2026-01-05"},{"role":"secondary","members":["\#(omar)"],"startsOn":"2026-01-05"\#(secondaryHours)}]}"#
        #expect(try await f.call(.post, "/api/v1/oncall/schedules", as: "lena", json: body).status == .forbidden)
        let created = try await f.call(.post, "/api/v1/oncall/schedules", as: "admin", json: body)
        #expect(created.status == .created, "\(created.text)")
        return try created.decoded(as: ScheduleDTO.self).id.uuidString
    }

    @Test func sev1PagesThePrimaryThenTheSecondaryUntilTheSignedLinkAcknowledges() async throws {
        let receiver = try await Receiver()
        try await ServerFixture.with { f in
            let lena = f.people["lena"]!.id
            let omar = f.people["omar"]!.id
            let alice = f.people["alice"]!.id
            let bad =
                #"{"name":"X","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(alice)"],"startsOn":"2026-01-05"}]}"#
            #expect(
                try await f.call(.post, "/api/v1/oncall/schedules", as: "admin", json: bad).problemFields() == [
                    "layers[0].members"
                ]
            )
            let scheduleID = try await schedule(f)
            let policyBody =
                #"{"name":"Sev1","steps":[{"scheduleId":"\#(scheduleID)","role":"primary","waitMinutes":5},{"scheduleId":"\#(scheduleID)","role":"secondary","waitMinutes":10}]}"#
            let policy = try await f.call(.post, "/api/v1/oncall/policies", as: "admin", json: policyBody)
            #expect(policy.status == .created)
            let policyID = try policy.decoded(as: PolicyDTO.self).id.uuidString
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"sev1PolicyId":"\#(UUID())","allowPrivateTargets":true}"#
                    )
                    .problemFields() == ["sev1PolicyId"]
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"sev1PolicyId":"\#(policyID)","allowPrivateTargets":true}"#
                    )
                    .status == .ok
            )
            let secret = try #require(
                try await f.call(.post, "/api/v1/settings/paging/secret", as: "admin").json()["secret"] as? String
            )

            // Each paged person reaches a webhook; a colleague's contacts are an admin's business.
            let hook = #"{"methods":[{"kind":"webhook","address":"http://127.0.0.1:\#(receiver.port)/hook"}]}"#
            #expect(
                try await f.call(.put, "/api/v1/people/\(omar)/paging-contacts", as: "lena", json: hook).status
                    == .forbidden
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/people/\(lena)/paging-contacts",
                        as: "lena",
                        json: #"{"methods":[{"kind":"sms","address":"123"}]}"#
                    )
                    .problemFields() == ["methods[0].address"]
            )
            #expect(
                try await f.call(.put, "/api/v1/people/\(lena)/paging-contacts", as: "lena", json: hook).status == .ok
            )
            #expect(
                try await f.call(.put, "/api/v1/people/\(omar)/paging-contacts", as: "admin", json: hook).status == .ok
            )

            let schedules = try await f.call(.get, "/api/v1/oncall/schedules", as: "lena")
                .decoded(as: [ScheduleDTO].self)
            #expect(schedules[0].onCallNow.primary?.name == "Lena")
            #expect(schedules[0].coverage?.percent == 100)

            // A Sev1 ticket pages the primary at once, signed with the paging secret.
            let reference = try await f.openTicket(
                as: "lena",
                title: "Line 3 halted",
                extra: #", "severity": "Sev1", "requesterId": "\#(alice)""#
            )
            let first = try #require(await receiver.next())
            let notice = try JSONDecoder().decode(PageNotice.self, from: first.body)
            #expect(notice.ticket == reference && notice.severity == .sev1 && notice.step == 1)
            #expect(notice.acknowledgeUrl.contains("person=\(lena.uuidString.lowercased())"))
            let signature = try #require(first.headers[HTTPField.Name("X-Tierdesk-Signature")!])
            let stamp = try #require(signature.split(separator: ",").first.flatMap { Int($0.dropFirst(2)) })
            #expect(signature.hasSuffix("v1=" + WebhookSignature.mac(body: first.body, secret: secret, stamp: stamp)))

            // Five minutes without an acknowledgement: the secondary.
            #expect(try await f.components.pages.dispatchDue(at: ServerFixture.t0.addingTimeInterval(299)) == 0)
            #expect(try await f.components.pages.dispatchDue(at: ServerFixture.t0.addingTimeInterval(300)) == 1)
            // Queued for then; the fixed clock of this server never reaches it, so it is read from the outbox.
            let queued = try #require(
                try await f.components.outbox.list(status: .pending).first { $0.pageID == notice.pageId }
            )
            let second = try JSONDecoder().decode(PageRequest.self, from: queued.payload)
            let secondNotice = try JSONDecoder().decode(PageNotice.self, from: second.body)
            #expect(
                secondNotice.step == 2 && secondNotice.acknowledgeUrl.contains("person=\(omar.uuidString.lowercased())")
            )

            // The signed link: opening it changes nothing; a forged one is refused; the button acknowledges.
            let link = try #require(URLComponents(string: secondNotice.acknowledgeUrl))
            let path = link.path + "?" + (link.percentEncodedQuery ?? "")
            let opened = try await f.call(.get, path)
            #expect(opened.status == .ok && opened.text.contains("Acknowledge as Omar"))
            #expect(
                try await f
                    .call(
                        .get,
                        path.replacingOccurrences(of: omar.uuidString.lowercased(), with: lena.uuidString.lowercased())
                    )
                    .status == .forbidden
            )
            let pageID = notice.pageId.uuidString
            #expect(
                try await f.call(.get, "/api/v1/pages/\(pageID)", as: "lena").decoded(as: PageDTO.self).status
                    == .triggered
            )
            let query = Dictionary(uniqueKeysWithValues: (link.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            let acknowledged = try await f.call(
                .post,
                link.path,
                body: ByteBuffer(string: "person=\(query["person"]!)&signature=\(query["signature"]!)"),
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(acknowledged.status == .ok && acknowledged.text.contains("Acknowledged"))
            let page = try await f.call(.get, "/api/v1/pages/\(pageID)", as: "lena").decoded(as: PageDTO.self)
            #expect(page.status == .acknowledged && page.acknowledgedBy?.name == "Omar")
            // The fixed clock acknowledges at t0, before the second step's instant; the kinds are what count.
            #expect(page.events?.map(\.kind.rawValue).sorted() == ["acknowledged", "notified", "notified", "started"])
            #expect(try await f.components.outbox.find(queued.id)?.status == .cancelled)
            #expect(try await f.components.pages.dispatchDue(at: ServerFixture.t0.addingTimeInterval(3600)) == 0)
            #expect(try await f.call(.post, "/api/v1/pages/\(pageID)/acknowledge", as: "alice").status == .forbidden)
            let acknowledgedPages = try await f.call(.get, "/api/v1/pages?status=acknowledged", as: "lena")
                .decoded(as: [PageDTO].self)
            #expect(acknowledgedPages.map(\.id.uuidString) == [pageID])
            #expect(try await f.call(.get, "/api/v1/pages?status=asleep", as: "lena").problemFields() == ["status"])
            #expect(
                try await f.call(.post, "/api/v1/pages/\(pageID)/resolve", as: "lena").decoded(as: PageDTO.self).status
                    == .resolved
            )

            // By hand: a page needs a policy when the settings name none for its severity.
            #expect(
                try await f
                    .call(.post, "/api/v1/pages", as: "lena", json: #"{"title":"Database slow","severity":"Sev2"}"#)
                    .problemFields() == ["policyId"]
            )
            let manual = try await f.call(
                .post,
                "/api/v1/pages",
                as: "lena",
                json: #"{"title":"Database slow","severity":"Sev2","policyId":"\#(policyID)"}"#
            )
            #expect(manual.status == .created)
            #expect(try manual.decoded(as: PageDTO.self).origin == .manual)
            _ = try #require(await receiver.next())
            #expect(
                try await f.call(.delete, "/api/v1/oncall/schedules/\(scheduleID)", as: "admin").status == .conflict
            )
        }
        await receiver.stop()
    }

    @Test func coverageGapsAreShownAndCalendarFeedsParse() async throws {
        try await ServerFixture.with { f in
            let office =
                #","supportHours":{"mon":[{"start":"08:00","end":"18:00"}],"tue":[{"start":"08:00","end":"18:00"}],"wed":[{"start":"08:00","end":"18:00"}],"thu":[{"start":"08:00","end":"18:00"}],"fri":[{"start":"08:00","end":"18:00"}]}"#
            let scheduleID = try await schedule(f, secondaryHours: office)
            let coverage = try await f.call(.get, "/api/v1/oncall/coverage", as: "lena")
                .decoded(as: OnCallCoverageDTO.self)
            // Eight weeks: the primary always, the secondary 50 of 168 hours a week.
            #expect(abs(coverage.percent - 100 * (1 - 118.0 / 336.0)) < 0.5)
            let gaps = try #require(coverage.schedules.first?.coverage?.gaps)
            #expect(gaps.count >= 40 && gaps.allSatisfy { $0.role == .secondary })
            // The daily check takes only schedules whose last check is a day old, and stores when it ran.
            let desk = f.components.oncallDesk
            #expect(
                try await desk.refreshStaleCoverage(olderThan: 86_400, at: ServerFixture.t0.addingTimeInterval(3_600))
                    == 0
            )
            let dayLater = ServerFixture.t0.addingTimeInterval(86_400)
            #expect(try await desk.refreshStaleCoverage(olderThan: 86_400, at: dayLater) == 1)
            let storedID = try #require(UUID(uuidString: scheduleID))
            let rechecked = try #require(try await f.components.oncall.storedSchedule(storedID))
            #expect(
                rechecked.coverageCheckedAt == dayLater && rechecked.coverage?.from == dayLater
                    && rechecked.coverage?.gaps.isEmpty == false
            )
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let console = try await browser.send(.get, "/console/oncall")
            #expect(
                console.status == .ok && console.text.contains("No secondary from")
                    && console.text.contains("On-call coverage over the next 8 weeks")
            )

            // An override of the primary shows in the shifts and the feed.
            let omar = f.people["omar"]!.id
            let start = Timestamp.format(ServerFixture.t0.addingTimeInterval(86_400))
            let end = Timestamp.format(ServerFixture.t0.addingTimeInterval(2 * 86_400))
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/oncall/schedules/\(scheduleID)/overrides",
                        as: "admin",
                        json: #"{"role":"primary","personId":"\#(omar)","start":"\#(end)","end":"\#(start)"}"#
                    )
                    .problemFields() == ["end"]
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/oncall/schedules/\(scheduleID)/overrides",
                        as: "admin",
                        json: #"{"role":"primary","personId":"\#(omar)","start":"\#(start)","end":"\#(end)"}"#
                    )
                    .status == .created
            )
            let shifts =
                try await f.call(.get, "/api/v1/oncall/schedules/\(scheduleID)/shifts?until=\(end)", as: "lena")
                .decoded(as: [ShiftDTO].self)
            #expect(shifts.contains { $0.role == .primary && $0.person.name == "Omar" && $0.start == start })
            // A window that ends before it starts is a malformed query: 400, naming the parameter.
            let backwards = try await f.call(
                .get,
                "/api/v1/oncall/schedules/\(scheduleID)/shifts?from=\(end)&until=\(start)",
                as: "lena"
            )
            #expect(try backwards.status == .badRequest && backwards.problemFields() == ["until"])

            let issued = try await f.call(
                .post,
                "/api/v1/oncall/feeds",
                as: "lena",
                json: #"{"scheduleId":"\#(scheduleID)"}"#
            )
            let url = try issued.decoded(as: FeedDTO.self).url
            let feedPath = try #require(URLComponents(string: url)).path
            #expect(
                try await f.call(.get, feedPath.replacingOccurrences(of: "cal_", with: "cal_x")).status == .notFound
            )
            let feed = try await f.call(.get, feedPath)
            #expect(feed.status == .ok && feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
            let parsed = try Self.parseWithPython(feed.text)
            let events = try #require(parsed["events"] as? [[String: Any]])
            #expect(parsed["name"] as? String == "On call: Production")
            #expect(
                events.contains {
                    ($0["summary"] as? String) == "Production: primary – Omar"
                        && ($0["start"] as? String)?.hasPrefix(String(start.prefix(19))) == true
                }
            )
            #expect(events.count > 60)

            let personal = try await f.call(
                .post,
                "/api/v1/oncall/feeds",
                as: "lena",
                json: #"{"personId":"\#(omar)"}"#
            )
            #expect(personal.status == .forbidden)
            let mine = try #require(
                try await
                    f.call(.post, "/api/v1/oncall/feeds", as: "omar", json: #"{"personId":"\#(omar)"}"#).json()["url"]
                    as? String
            )
            let own = try Self.parseWithPython(
                try await f.call(.get, try #require(URLComponents(string: mine)).path).text
            )
            let ownEvents = try #require(own["events"] as? [[String: Any]])
            #expect(
                !ownEvents.isEmpty && ownEvents.allSatisfy { ($0["summary"] as? String)?.hasSuffix("Omar") == true }
            )
            // Issuing again replaces the address; nobody gets a feed for a person who does not exist.
            #expect(
                try await f.call(.post, "/api/v1/oncall/feeds", as: "omar", json: #"{"personId":"\#(omar)"}"#).status
                    == .created
            )
            #expect(try await f.call(.get, try #require(URLComponents(string: mine)).path).status == .notFound)
            #expect(
                try await f.call(.post, "/api/v1/oncall/feeds", as: "admin", json: #"{"personId":"\#(UUID())"}"#).status
                    == .notFound
            )
        }
    }

    @Test func schedulesOverridesPoliciesAndContactsAreEditedAndPagesAnsweredInTheConsole() async throws {
        try await ServerFixture.with { f in
            let lena = f.people["lena"]!.id
            let omar = f.people["omar"]!.id
            let scheduleID = try await schedule(f)
            // Replacing the layers keeps the overrides, and the coverage counts them.
            let start = Timestamp.format(ServerFixture.t0)
            let end = Timestamp.format(ServerFixture.t0.addingTimeInterval(3600))
            let override = try await f.call(
                .post,
                "/api/v1/oncall/schedules/\(scheduleID)/overrides",
                as: "admin",
                json: #"{"role":"secondary","personId":"\#(lena)","start":"\#(start)","end":"\#(end)"}"#
            )
            let overrideID = try #require(try override.json()["id"] as? String)
            let primaryOnly =
                #"{"name":"Production","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(omar)"],"startsOn":"2026-01-05"}]}"#
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/oncall/schedules/\(scheduleID)",
                        as: "admin",
                        json: #"{"name":"","timeZone":"Nowhere","layers":[]}"#
                    )
                    .problemFields().sorted() == ["layers", "name", "timeZone"]
            )
            #expect(
                try await f.call(.put, "/api/v1/oncall/schedules/\(UUID())", as: "admin", json: primaryOnly).status
                    == .notFound
            )
            let replaced =
                try await f.call(.put, "/api/v1/oncall/schedules/\(scheduleID)", as: "admin", json: primaryOnly).json()
            #expect(
                ((replaced["onCallNow"] as? [String: Any])?["secondary"] as? [String: Any])?["name"] as? String
                    == "Lena"
            )
            let gaps = try #require((replaced["coverage"] as? [String: Any])?["gaps"] as? [[String: Any]])
            #expect(gaps.count == 1 && gaps[0]["role"] as? String == "secondary" && gaps[0]["start"] as? String == end)
            let listed =
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer: try await f.call(.get, "/api/v1/oncall/schedules/\(scheduleID)/overrides", as: "lena")
                            .body
                    )
                ) as! [[String: Any]]
            #expect(listed.map { $0["id"] as? String } == [overrideID])
            #expect(
                try await f.call(.delete, "/api/v1/oncall/schedules/\(scheduleID)/overrides/\(overrideID)", as: "lena")
                    .status == .forbidden
            )
            #expect(
                try await f.call(.delete, "/api/v1/oncall/schedules/\(scheduleID)/overrides/\(overrideID)", as: "admin")
                    .status == .noContent
            )
            #expect(
                try await f.call(.delete, "/api/v1/oncall/schedules/\(scheduleID)/overrides/\(overrideID)", as: "admin")
                    .status == .notFound
            )
            let afterwards = try await f.call(.get, "/api/v1/oncall/schedules/\(scheduleID)", as: "lena").json()
            #expect(
                ((afterwards["coverage"] as? [String: Any])?["gaps"] as? [[String: Any]])?.first?["start"] as? String
                    == start
            )

            // Policies name schedules and people that exist.
            let policy = try await f.call(
                .post,
                "/api/v1/oncall/policies",
                as: "admin",
                json: #"{"name":"Sev2","steps":[{"scheduleId":"\#(scheduleID)","waitMinutes":10}]}"#
            )
            let policyID = try policy.decoded(as: PolicyDTO.self).id.uuidString
            let unknown =
                #"{"name":"Sev2","steps":[{"scheduleId":"\#(UUID())","waitMinutes":10},{"personId":"\#(f.people["alice"]!.id)","waitMinutes":5}]}"#
            #expect(
                try await f.call(.put, "/api/v1/oncall/policies/\(policyID)", as: "admin", json: unknown)
                    .problemFields() == ["steps[0].scheduleId", "steps[1].personId"]
            )
            let edited = try await f.call(
                .put,
                "/api/v1/oncall/policies/\(policyID)",
                as: "admin",
                json:
                    #"{"name":"Sev2","steps":[{"scheduleId":"\#(scheduleID)","waitMinutes":10},{"personId":"\#(lena)","waitMinutes":5}],"repeats":2}"#
            )
            #expect(edited.status == .ok)
            #expect(
                try await f.call(.get, "/api/v1/oncall/policies/\(policyID)", as: "omar").decoded(as: PolicyDTO.self)
                    .repeats == 2
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"sev2PolicyId":"\#(policyID)","allowPrivateTargets":false}"#
                    )
                    .status == .ok
            )
            #expect(
                try await f.call(.get, "/api/v1/settings/paging", as: "admin").json()["sev2PolicyId"] as? String
                    == policyID
            )
            #expect(try await f.call(.get, "/api/v1/settings/paging", as: "lena").status == .forbidden)

            // Contacts: private webhooks need the admin's permission; a person reads their own.
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/people/\(lena)/paging-contacts",
                        as: "lena",
                        json: #"{"methods":[{"kind":"webhook","address":"http://10.0.0.1/page"}]}"#
                    )
                    .problemFields() == ["methods[0].address"]
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/people/\(lena)/paging-contacts",
                        as: "lena",
                        json: #"{"methods":[{"kind":"voice","address":"+4930123456"}]}"#
                    )
                    .status == .ok
            )
            #expect(
                try await f.call(.get, "/api/v1/people/\(lena)/paging-contacts", as: "lena").text
                    .contains("+4930123456")
            )
            #expect(try await f.call(.get, "/api/v1/people/\(lena)/paging-contacts", as: "omar").status == .forbidden)

            // A Sev2 ticket pages; the console acknowledges and resolves it.
            _ = try await f.openTicket(as: "omar", title: "Reports slow", extra: #", "severity": "Sev2""#)
            let page = try #require(try await f.components.pages.list().first)
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("omar@example.com")
            let console = try await browser.send(.get, "/console/oncall")
            #expect(console.text.contains("Reports slow") && console.text.contains("Acknowledge"))
            let csrf = try #require(Browser.csrf(in: console.text))
            let acknowledged = try await browser.send(
                .post,
                "/console/pages/\(page.id.uuidString.lowercased())/acknowledge",
                form: ["_csrf": csrf]
            )
            #expect(acknowledged.headers[.location] == "/console/oncall?notice=acknowledged")
            #expect(try await f.components.pages.find(page.id)?.acknowledgedBy == omar)
            _ = try await browser.send(
                .post,
                "/console/pages/\(page.id.uuidString.lowercased())/resolve",
                form: ["_csrf": csrf]
            )
            #expect(try await f.components.pages.find(page.id)?.status == .resolved)
            #expect(try await browser.send(.get, "/console/oncall").text.contains("No open pages."))
        }
    }

    /// Runs `Tests/oncall/parse_ics.py` on a feed with Debian's python3 and its `icalendar` package.
    @Test func aFeedStartsOnAFixedGridSoEventsKeepTheirUIDs() {
        let now = ServerFixture.t0
        let range = CalendarFeeds.range(at: now)
        #expect(
            range.lowerBound <= now.addingTimeInterval(-7 * 86_400)
                && range.lowerBound > now.addingTimeInterval(-35 * 86_400)
        )
        // Within one grid step the start stands still, whatever the hour of the fetch.
        let gridStart = range.lowerBound.addingTimeInterval(7 * 86_400)
        #expect(
            Set(
                [0.0, 3_600, 86_400, 20 * 86_400]
                    .map { CalendarFeeds.range(at: gridStart.addingTimeInterval($0)).lowerBound }
            ) == [range.lowerBound]
        )
    }

    static func parseWithPython(_ feed: String) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID()).ics")
        try Data(feed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("oncall/parse_ics.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerFixture.FixtureError(
                message: "icalendar refused the feed: \(String(decoding: failure, as: UTF8.self))"
            )
        }
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}
