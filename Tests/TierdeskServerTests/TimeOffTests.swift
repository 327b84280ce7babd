import Foundation
import HTTPTypes
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Time off in lieu through the real router and database: out-of-hours time on acknowledged pages and on
/// work logged on Sev1/Sev2 tickets, per person and month, as JSON, CSV and the console page.
struct TimeOffTests {
    func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func pagesAndLoggedWorkAddUpPerPersonAndMonthOutOfHoursOnly() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let alice = try #require(f.people["alice"])
            let schedule = try await OnCallAPITests().schedule(f)
            let policy = try #require(
                try await
                    f
                    .call(
                        .post,
                        "/api/v1/oncall/policies",
                        as: "admin",
                        json:
                            #"{"name":"Night","steps":[{"scheduleId":"\#(schedule)","role":"primary","waitMinutes":5}]}"#
                    )
                    .json()["id"] as? String
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"allowPrivateTargets":true,"workingHoursCalendar":"night shift"}"#
                    )
                    .problemFields() == ["workingHoursCalendar"]
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"allowPrivateTargets":true,"workingHoursCalendar":"office"}"#
                    )
                    .status == .ok
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/people/\(lena.id)/paging-contacts",
                        as: "lena",
                        json: #"{"methods":[{"kind":"webhook","address":"http://127.0.0.1:9/hook"}]}"#
                    )
                    .status == .ok
            )

            // Wednesday 16 September, 01:00–03:05 in Berlin: Lena is paged, acknowledges at 01:05 and resolves at 03:05.
            let page = try await f.components.pages.start(
                ticketID: nil,
                policyID: UUID(uuidString: policy)!,
                title: "Line 3 halted",
                severity: .sev1,
                by: nil,
                at: at("2026-09-15T23:00:00Z")
            )
            _ = try await f.components.pages.acknowledge(page.id, by: lena.id, at: at("2026-09-15T23:05:00Z"))
            _ = try await f.components.pages.resolve(page.id, by: lena.id, at: at("2026-09-16T01:05:00Z"))

            // Work on a Sev1 ticket: an hour inside that night (counted once) and Monday 07:00–09:00, of which
            // the hour before the office opens at 08:00 counts.
            let sev1 = try await f.openTicket(
                as: "lena",
                title: "Line 3 halted",
                extra: #", "severity": "Sev1", "requesterId": "\#(alice.id)""#
            )
            let night =
                #"{"start":"2026-09-15T23:30:00Z","end":"2026-09-16T00:30:00Z","note":"Restarted the line controller"}"#
            let logged = try await f.call(.post, "/api/v1/tickets/\(sev1)/work", as: "lena", json: night)
            #expect(logged.status == .created)
            #expect(try logged.decoded(as: LoggedTimeDTO.self).entry.person.name == "Lena")
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(sev1)/work",
                        as: "lena",
                        json: #"{"start":"2026-09-21T05:00:00Z","end":"2026-09-21T07:00:00Z","note":"Root cause"}"#
                    )
                    .status == .created
            )

            // What cannot be logged, and by whom.
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(sev1)/work",
                        as: "lena",
                        json: #"{"start":"2026-09-21T14:00:00Z","end":"2026-09-21T15:00:00Z","note":""}"#
                    )
                    .problemFields() == ["end", "note"]
            )
            let sev3 = try await f.openTicket(as: "alice", title: "Printer jam")
            // Time on a Sev3 ticket that never paged is the same record, billed but earning no time off in lieu.
            let sev3Work = try await f.call(.post, "/api/v1/tickets/\(sev3)/work", as: "lena", json: night)
            #expect(sev3Work.status == .created)
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(sev1)/work", as: "alice", json: night).status == .forbidden
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(sev1)/work",
                        as: "omar",
                        json:
                            #"{"personId":"\#(lena.id)","start":"2026-09-15T23:30:00Z","end":"2026-09-16T00:30:00Z","note":"x"}"#
                    )
                    .status == .forbidden
            )
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/tickets/\(sev1)/work",
                        as: "admin",
                        json:
                            #"{"personId":"\#(alice.id)","start":"2026-09-15T23:30:00Z","end":"2026-09-16T00:30:00Z","note":"x"}"#
                    )
                    .problemFields() == ["personId"]
            )
            #expect(
                try await f.call(.post, "/api/v1/tickets/TD-9999/work", as: "lena", json: night).status == .notFound
            )

            // The statement: Lena sees her own, Omar his (empty), the admin everyone's.
            func statement(_ month: String, as who: String) async throws -> TimeOffDTO {
                try await f.call(.get, "/api/v1/oncall/time-off?month=\(month)", as: who).decoded(as: TimeOffDTO.self)
            }
            let september = try await statement("2026-09", as: "admin")
            #expect(september.from == "2026-08-31T22:00:00Z" && september.calendar == "office")
            let lines = september.people
            #expect(lines.count == 1)
            #expect(lines.first?.person.name == "Lena")
            #expect(
                lines.first?.pageMinutes == 120 && lines.first?.ticketMinutes == 120 && lines.first?.totalMinutes == 180
            )
            #expect(lines.first?.pagesOutOfHours == 1)
            #expect(september.work.map(\.note) == ["Restarted the line controller", "Root cause"])
            #expect(try await statement("2026-09", as: "lena").people.count == 1)
            #expect(try await statement("2026-09", as: "omar").people.isEmpty)
            #expect(
                try await f.call(.get, "/api/v1/oncall/time-off?month=2026-09&personId=\(lena.id)", as: "omar").status
                    == .forbidden
            )
            #expect(try await f.call(.get, "/api/v1/oncall/time-off?month=2026-09", as: "alice").status == .forbidden)
            #expect(
                try await f.call(.get, "/api/v1/oncall/time-off?month=2026-9", as: "lena").problemFields() == ["month"]
            )
            #expect(try await statement("2026-10", as: "admin").people.isEmpty)

            let csv = try await f.call(.get, "/api/v1/oncall/time-off.csv?month=2026-09", as: "admin")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(
                csv.text
                    == "month,person_id,person,email,pages_out_of_hours,page_minutes,ticket_minutes,total_minutes,total_hours\r\n2026-09,\(lena.id.uuidString),Lena,lena@example.com,1,120,120,180,3.00\r\n"
            )

            // Logged work is removed by its owner or a manager.
            let workID = try logged.decoded(as: LoggedTimeDTO.self).entry.id.uuidString
            #expect(try await f.call(.delete, "/api/v1/oncall/work/\(workID)", as: "omar").status == .forbidden)
            #expect(try await f.call(.delete, "/api/v1/oncall/work/\(workID)", as: "lena").status == .noContent)
            #expect(try await f.call(.delete, "/api/v1/oncall/work/\(workID)", as: "lena").status == .notFound)
            let after = try await statement("2026-09", as: "lena").people
            #expect(after.first?.ticketMinutes == 60 && after.first?.totalMinutes == 180)
        }
    }

    @Test func theConsoleLogsWorkInLocalTimeAndExportsCSV() async throws {
        try await ServerFixture.with { f in
            let alice = try #require(f.people["alice"])
            let sev2 = try await f.openTicket(
                as: "lena",
                title: "Orders slow",
                extra: #", "severity": "Sev2", "requesterId": "\#(alice.id)""#
            )
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let empty = try await browser.send(.get, "/console/oncall/time-off?month=2026-09")
            #expect(empty.status == .ok && empty.text.contains("No out-of-hours time in 2026-09"))
            let token = try #require(Browser.csrf(in: empty.text))

            // Saturday 19 September, 22:00–23:30 in Berlin (20:00–21:30 UTC): all of it out of hours.
            let form = [
                "_csrf": token, "person": f.people["lena"]!.id.uuidString, "ticket": sev2, "start": "2026-09-19T22:00",
                "end": "2026-09-19T23:30", "note": "Cleared the <queue>",
            ]
            let bad = try await browser.send(
                .post,
                "/console/oncall/time-off/work",
                form: form.merging(["start": "tonight"]) { $1 }
            )
            #expect(
                bad.status == .unprocessableContent && bad.text.contains("start must be a date and time")
                    && bad.text.contains(#"value="\#(sev2)""#)
            )
            let logged = try await browser.send(.post, "/console/oncall/time-off/work", form: form)
            #expect(logged.status == .seeOther)
            let page = try await browser.send(.get, "/console/oncall/time-off?month=2026-09&notice=logged")
            #expect(
                page.text.contains("The work is logged.") && page.text.contains("2026-09-19 22:00")
                    && page.text.contains("Cleared the &lt;queue&gt;")
            )
            #expect(page.text.contains("<td><strong>1.50</strong></td>"))
            let stored = try #require(
                try await f.components.timeEntries
                    .entries(overlapping: at("2026-09-01T00:00:00Z")..<at("2026-10-01T00:00:00Z")).first
            )
            #expect(stored.work.start == at("2026-09-19T20:00:00Z") && stored.work.end == at("2026-09-19T21:30:00Z"))

            let csv = try await browser.send(.get, "/console/oncall/time-off.csv?month=2026-09")
            #expect(
                csv.headers[.contentDisposition] == #"attachment; filename="time-off-in-lieu-2026-09.csv""#
                    && csv.text.contains(",Lena,lena@example.com,0,0,90,90,1.50\r\n")
            )
            let removed = try await browser.send(
                .post,
                "/console/oncall/work/\(stored.work.id.uuidString.lowercased())/remove",
                form: ["_csrf": token]
            )
            #expect(removed.status == .seeOther)
            #expect(try await f.components.timeEntries.find(stored.work.id) == nil)
        }
    }

    @Test func csvCellsAreQuotedAndFormulasDefused() {
        #expect(CSVText.cell("Lena") == "Lena")
        #expect(CSVText.cell("=HYPERLINK(\"x\")") == #""'=HYPERLINK(""x"")""#)
        #expect(CSVText.cell("+1") == "'+1" && CSVText.cell("@sum") == "'@sum")
        #expect(CSVText.cell("Doe, Jane") == #""Doe, Jane""# && CSVText.cell("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.render(header: ["a", "b"], rows: [["1", "x,y"]]) == "a,b\r\n1,\"x,y\"\r\n")
    }
}
