import Foundation
import HTTPTypes
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Managers edit schedules, overrides and escalation policies in the console: the JSON document the API
/// takes, refused with the field named and kept for correction; overrides in the schedule's local time.
struct OnCallEditorTests {
    @Test func managersEditSchedulesOverridesAndPoliciesInTheConsole() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            let alice = try #require(f.people["alice"])
            var agent = Browser(fixture: f)
            _ = try await agent.logIn("lena@example.com")
            #expect(try await !agent.send(.get, "/console/oncall").text.contains("New schedule"))
            #expect(try await agent.send(.get, "/console/oncall/schedules/new").status == .forbidden)

            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let blank = try await admin.send(.get, "/console/oncall/schedules/new")
            #expect(
                blank.status == .ok && blank.text.contains(#"<textarea id="document""#)
                    && blank.text.contains(lena.id.uuidString)
            )
            #expect(!blank.text.contains(alice.id.uuidString))
            let token = try #require(Browser.csrf(in: blank.text))

            // A document with a requester as a member, then one that is not JSON: refused, kept, the field named.
            let document = { (member: UUID) in
                #"{"name":"Plant night","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(member)"],"startsOn":"2026-01-05"},{"role":"secondary","members":["\#(omar.id)"],"startsOn":"2026-01-05"}]}"#
            }
            let refused = try await admin.send(
                .post,
                "/console/oncall/schedules/new",
                form: ["_csrf": token, "document": document(alice.id)]
            )
            #expect(
                refused.status == .unprocessableContent && refused.text.contains("layers[0].members")
                    && refused.text.contains("Plant night")
            )
            let garbled = try await admin.send(
                .post,
                "/console/oncall/schedules/new",
                form: ["_csrf": token, "document": "{\"name\": "]
            )
            #expect(garbled.status == .unprocessableContent && garbled.text.contains("not valid JSON"))
            #expect(try await f.components.oncall.storedSchedules().isEmpty)

            let saved = try await admin.send(
                .post,
                "/console/oncall/schedules/new",
                form: ["_csrf": token, "document": document(lena.id)]
            )
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            let schedule = try #require(try await f.components.oncall.storedSchedules().first)
            #expect(location == "/console/oncall/schedules/\(schedule.id.uuidString.lowercased())?notice=saved")
            #expect(schedule.spec.name == "Plant night" && schedule.coverage?.gaps.isEmpty == true)
            let editor = try await admin.send(.get, location)
            #expect(
                editor.text.contains("Saved; coverage is checked again.")
                    && editor.text.contains("No override now or to come.")
            )

            // An override in Berlin time: Omar covers the primary from Tuesday 09:00 to Wednesday 09:00.
            let overrides = "/console/oncall/schedules/\(schedule.id.uuidString.lowercased())/overrides"
            let backwards = try await admin.send(
                .post,
                overrides,
                form: [
                    "_csrf": token, "role": "primary", "person": omar.id.uuidString, "start": "2026-09-23T09:00",
                    "end": "2026-09-22T09:00",
                ]
            )
            #expect(
                backwards.status == .unprocessableContent && backwards.text.contains("end must be after start")
                    && backwards.text.contains(#"value="2026-09-23T09:00""#)
            )
            #expect(
                try await admin
                    .send(
                        .post,
                        overrides,
                        form: [
                            "_csrf": token, "role": "primary", "person": omar.id.uuidString,
                            "start": "2026-09-22T09:00", "end": "2026-09-23T09:00",
                        ]
                    )
                    .status == .seeOther
            )
            let override = try #require(
                try await f.components.oncall.overrides(of: schedule.id, endingAfter: ServerFixture.t0).first
            )
            #expect(
                override.personID == omar.id && override.start == Timestamp.parse("2026-09-22T07:00:00Z")
                    && override.end == Timestamp.parse("2026-09-23T07:00:00Z")
            )
            let listed = try await admin.send(.get, "/console/oncall/schedules/\(schedule.id.uuidString.lowercased())")
            #expect(listed.text.contains("<td>Omar</td><td>2026-09-22 09:00</td><td>2026-09-23 09:00</td>"))
            #expect(
                try await admin
                    .send(.post, "\(overrides)/\(override.id.uuidString.lowercased())/remove", form: ["_csrf": token])
                    .status == .seeOther
            )
            #expect(try await f.components.oncall.overrides(of: schedule.id, endingAfter: ServerFixture.t0).isEmpty)

            // A policy: one naming a schedule that does not exist is refused; then saved and listed.
            let newPolicy = try await admin.send(.get, "/console/oncall/policies/new")
            #expect(newPolicy.text.contains(schedule.id.uuidString))
            let policy = { (id: String) in
                #"{"name":"Night Sev1","steps":[{"scheduleId":"\#(id)","role":"primary","waitMinutes":5},{"personId":"\#(omar.id)","waitMinutes":10}]}"#
            }
            let unknown = try await admin.send(
                .post,
                "/console/oncall/policies/new",
                form: ["_csrf": token, "document": policy(UUID().uuidString)]
            )
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("steps[0].scheduleId"))
            let created = try await admin.send(
                .post,
                "/console/oncall/policies/new",
                form: ["_csrf": token, "document": policy(schedule.id.uuidString)]
            )
            #expect(created.status == .seeOther)
            let stored = try #require(try await f.components.oncall.policies().first)
            #expect(stored.name == "Night Sev1" && stored.steps.count == 2)
            let page = try await admin.send(.get, "/console/oncall")
            #expect(
                page.text.contains("Night Sev1: 2 step(s), repeated 0 time(s)")
                    && page.text.contains("/console/oncall/policies/\(stored.id.uuidString.lowercased())")
            )
            #expect(page.text.contains("/console/oncall/schedules/\(schedule.id.uuidString.lowercased())"))

            // Someone who has left is no longer put on call.
            #expect(
                try await f.call(.patch, "/api/v1/people/\(omar.id)", as: "admin", json: #"{"active": false}"#).status
                    == .ok
            )
            let start = Timestamp.format(ServerFixture.t0)
            let end = Timestamp.format(ServerFixture.t0.addingTimeInterval(3600))
            #expect(
                try await f
                    .call(
                        .post,
                        "/api/v1/oncall/schedules/\(schedule.id)/overrides",
                        as: "admin",
                        json: #"{"role":"primary","personId":"\#(omar.id)","start":"\#(start)","end":"\#(end)"}"#
                    )
                    .problemFields() == ["personId"]
            )
            let gone = try await admin.send(
                .post,
                "/console/oncall/schedules/\(schedule.id.uuidString.lowercased())",
                form: ["_csrf": token, "document": document(lena.id)]
            )
            #expect(
                gone.status == .unprocessableContent && gone.text.contains("layers[1].members")
                    && gone.text.contains("is not an active agent")
            )
        }
    }
}
