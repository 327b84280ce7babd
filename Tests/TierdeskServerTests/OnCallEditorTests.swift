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

/// Schedules and policies edited field by field: people and schedules chosen by name, the coming week shown.
struct OnCallFieldEditorTests {
    @Test func managersEditRotationsAndPoliciesFieldByField() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let blank = try await admin.send(.get, "/console/oncall/schedules/new")
            #expect(blank.text.contains("id=\"schedule-fields\"") && blank.text.contains(">Lena</option>"))
            let token = try #require(Browser.csrf(in: blank.text))
            var fields = [
                "_csrf": token, "mode": "fields", "layers": "3", "name": "Plant night", "timeZone": "Europe/Berlin",
                "layer0-used": "1", "layer0-role": "primary", "layer0-member0": lena.id.uuidString,
                "layer0-member1": omar.id.uuidString, "layer0-startsOn": "2026-09-14", "layer0-handoffDay": "mon",
                "layer0-handoffTime": "09:00", "layer0-shiftDays": "x",
                "layer1-used": "1", "layer1-role": "secondary", "layer1-member0": omar.id.uuidString,
                "layer1-startsOn": "2026-09-14", "layer1-handoffDay": "mon", "layer1-handoffTime": "09:00",
                "layer1-shiftDays": "7", "layer2-role": "secondary", "layer2-shiftDays": "7",
            ]
            let refused = try await admin.send(.post, "/console/oncall/schedules/new", form: fields)
            #expect(refused.status == .unprocessableContent && refused.text.contains("layers[0].shiftDays"))
            #expect(refused.text.contains("value=\"Plant night\""), "what was typed is kept")
            fields["layer0-shiftDays"] = "7"
            let saved = try await admin.send(.post, "/console/oncall/schedules/new", form: fields)
            #expect(saved.status == .seeOther)
            let schedule = try #require(try await f.components.oncall.storedSchedules().first)
            #expect(schedule.spec.layers.map(\.members) == [[lena.id, omar.id], [omar.id]])
            #expect(schedule.spec.layers.count == 2, "an unused layer is left out")

            let page = try await admin.send(.get, "/console/oncall/schedules/\(schedule.id.uuidString.lowercased())")
            #expect(page.text.contains("The coming week") && page.text.contains("id=\"rotation-week\""))
            #expect(page.text.contains("<td>Lena</td>") || page.text.contains("<td>Omar</td>"))

            let policyPage = try await admin.send(.get, "/console/oncall/policies/new")
            #expect(policyPage.text.contains(">Plant night: primary</option>"))
            let policy = try await admin.send(
                .post,
                "/console/oncall/policies/new",
                form: [
                    "_csrf": token, "mode": "fields", "steps": "3", "name": "Night pager", "repeats": "1",
                    "step0-target": "schedule:\(schedule.id.uuidString):primary", "step0-wait": "5",
                    "step1-target": "person:\(lena.id.uuidString)", "step1-wait": "10", "step2-target": "",
                    "step2-wait": "10",
                ]
            )
            #expect(policy.status == .seeOther)
            let location = try #require(policy.headers[.location])
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last!.prefix(36))))
            let stored = try await f.components.oncallDesk.policy(id, for: f.people["admin"]!.actor)
            let spec = EscalationPolicySpec(stored)
            #expect(spec.steps.count == 2 && spec.steps[0].waitMinutes == 5 && spec.steps[1].personId == lena.id)
        }
    }
}
