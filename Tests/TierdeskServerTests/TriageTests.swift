import Foundation
import Testing
import TierdeskCore

@testable import TierdeskServer

/// The weekly triage: the board of unowned tickets, bulk assignment, the operations owner and the report.
@Suite struct TriageTests {
    @Test func theBoardListsUnownedTicketsOldestFirstAndBulkAssignmentTakesThem() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            let first = try await f.openTicket(as: "alice", title: "First")
            let second = try await f.openTicket(as: "carol", title: "Second")
            let owned = try await f.openTicket(
                as: "lena",
                extra: #", "requesterId": "\#(f.people["bob"]!.id)", "ownerId": "\#(lena.id)""#
            )
            #expect(try await f.call(.get, "/api/v1/triage/board", as: "alice").status == .forbidden)
            let board = try await f.call(.get, "/api/v1/triage/board", as: "lena").json()
            #expect(board["week"] as? String == "2026-W39")
            #expect(
                (board["tickets"] as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [first, second]
            )

            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "lena",
                        json: #"{"week": "2026-W39", "personId": "\#(omar.id)"}"#
                    )
                    .status == .forbidden
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "admin",
                        json: #"{"week": "2026-W99", "personId": "\#(omar.id)"}"#
                    )
                    .status == .unprocessableContent
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "admin",
                        json: #"{"week": "2026-W39", "personId": "\#(f.people["alice"]!.id)"}"#
                    )
                    .status == .unprocessableContent
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "admin",
                        json: #"{"week": "2026-W39", "personId": "\#(omar.id)"}"#
                    )
                    .status == .noContent
            )

            let outcomes = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer:
                            try await f.call(
                                .post,
                                "/api/v1/triage/assignments",
                                as: "omar",
                                json: #"{"ownerId": "\#(omar.id)", "tickets": ["\#(first)", "\#(owned)", "TD-9999"]}"#
                            )
                            .body
                    )
                ) as? [[String: Any]]
            )
            #expect(outcomes.compactMap { $0["outcome"] as? String } == ["assigned", "already_owned", "refused"])
            #expect((outcomes[2]["detail"] as? String)?.contains("TD-9999") == true)
            let empty = try await f.call(
                .post,
                "/api/v1/triage/assignments",
                as: "omar",
                json: #"{"ownerId": "\#(omar.id)", "tickets": []}"#
            )
            #expect(try empty.problemFields() == ["tickets"])

            let report = try await f.call(.get, "/api/v1/triage/report?week=2026-W39", as: "omar").json()
            #expect(
                report["from"] as? String == "2026-09-21T00:00:00Z"
                    && report["operationsOwnerId"] as? String == omar.id.uuidString
            )
            #expect(report["opened"] as? [String] == [first, second, owned])
            #expect((report["taken"] as? [[String: Any]])?.compactMap { $0["ticket"] as? String } == [first])
            #expect(report["stillUnowned"] as? [String] == [second])
            #expect(try await f.call(.get, "/api/v1/triage/report?week=soon", as: "omar").status == .badRequest)
            let lastWeek = try await f.call(.get, "/api/v1/triage/report?week=2026-W38", as: "omar").json()
            #expect((lastWeek["opened"] as? [String])?.isEmpty == true)

            // The console board: tick tickets, give them to someone.
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            let page = try await browser.send(.get, "/console/triage")
            #expect(
                page.text.contains("Triage · 2026-W39") && page.text.contains(#"id="operations-owner">Omar"#)
                    && page.text.contains(#"value="\#(second)""#)
            )
            let token = try #require(Browser.csrf(in: page.text))
            let none = try await browser.send(
                .post,
                "/console/triage/assign",
                form: ["_csrf": token, "owner": lena.id.uuidString]
            )
            #expect(none.status == .unprocessableContent && none.text.contains("name at least one ticket"))
            let taken = try await browser.send(
                .post,
                "/console/triage/assign",
                form: ["_csrf": token, "owner": lena.id.uuidString, "tickets[]": second]
            )
            #expect(taken.status == .seeOther)
            let after = try await browser.send(.get, "/console/triage?assigned=1")
            #expect(after.text.contains("Every open ticket has an owner.") && after.text.contains("\(second) → Lena"))
        }
    }

    @Test func theOperationsOwnerComesFromTheScheduleUnlessSetForTheWeek() async throws {
        try await ServerFixture.with { f in
            let lena = try #require(f.people["lena"])
            let omar = try #require(f.people["omar"])
            // Lena and Omar take turns as primary, handing over on Mondays at 09:00 in Berlin (07:00 UTC):
            // in 2026-W39 Lena holds the first seven hours, Omar the other 161.
            let body =
                #"{"name":"Operations","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(lena.id)","\#(omar.id)"],"startsOn":"2026-01-05"}]}"#
            let schedule = try #require(
                try await f.call(.post, "/api/v1/oncall/schedules", as: "admin", json: body).json()["id"] as? String
            )
            #expect(try await f.call(.get, "/api/v1/triage/board", as: "lena").json()["operationsOwnerId"] is NSNull)
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/paging",
                        as: "admin",
                        json: #"{"operationsScheduleId":"\#(schedule)","allowPrivateTargets":false}"#
                    )
                    .status == .ok
            )
            #expect(
                try await f.call(.get, "/api/v1/triage/board", as: "lena").json()["operationsOwnerId"] as? String
                    == omar.id.uuidString
            )
            // The next week is Lena's; the report names her.
            #expect(
                try await f.call(.get, "/api/v1/triage/report?week=2026-W40", as: "lena").json()["operationsOwnerId"]
                    as? String == lena.id.uuidString
            )
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("lena@example.com")
            #expect(
                try await browser.send(.get, "/console/triage").text
                    .contains(#"id="operations-owner">Omar (primary of Operations)"#)
            )

            // An owner set for the week wins over the schedule; clearing it gives the week back to the schedule.
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "admin",
                        json: #"{"week": "2026-W39", "personId": "\#(lena.id)"}"#
                    )
                    .status == .noContent
            )
            #expect(
                try await f.call(.get, "/api/v1/triage/board", as: "lena").json()["operationsOwnerId"] as? String
                    == lena.id.uuidString
            )
            #expect(
                try await browser.send(.get, "/console/triage").text.contains(#"id="operations-owner">Lena</strong>"#)
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/triage/operations-owner",
                        as: "admin",
                        json: #"{"week": "2026-W39", "personId": null}"#
                    )
                    .status == .noContent
            )
            #expect(
                try await f.call(.get, "/api/v1/triage/board", as: "lena").json()["operationsOwnerId"] as? String
                    == omar.id.uuidString
            )

            // The schedule stays while the paging settings name it.
            #expect(try await f.call(.delete, "/api/v1/oncall/schedules/\(schedule)", as: "admin").status == .conflict)
            #expect(
                try await f.call(.put, "/api/v1/settings/paging", as: "admin", json: #"{"allowPrivateTargets":false}"#)
                    .status == .ok
            )
            #expect(try await f.call(.delete, "/api/v1/oncall/schedules/\(schedule)", as: "admin").status == .noContent)
            #expect(try await f.call(.get, "/api/v1/oncall/schedules/\(schedule)", as: "lena").status == .notFound)
        }
    }

    @Test func isoWeeksFollowTheStandard() {
        #expect(IsoWeek(containing: Timestamp.parse("2026-09-21T14:13:20Z")!).description == "2026-W39")
        #expect(IsoWeek(containing: Timestamp.parse("2021-01-03T23:59:59Z")!).description == "2020-W53")
        #expect(IsoWeek(containing: Timestamp.parse("2024-12-30T00:00:00Z")!).description == "2025-W01")
        #expect(IsoWeek("2020-W53")?.monday == LocalDate("2020-12-28"))
        #expect(IsoWeek("2021-W53") == nil && IsoWeek("2026-47") == nil)
    }
}

/// Triage rules on every channel that opens or changes tickets.
@Suite struct TriageRuleAPITests {
    @Test func seedRulesRunWhenTicketsOpenAndAdminsEditThem() async throws {
        try await ServerFixture.with { f in
            let stopped = try await f.openTicket(
                as: "alice",
                title: "Line 3 stopped",
                extra: #", "attributes": {"lineUtilisation": 0, "usersAffected": 40}"#
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(stopped)", as: "lena").json()
            #expect(
                ticket["priority"] as? String == "P1" && ticket["severity"] as? String == "Sev1"
                    && ticket["tags"] as? [String] == ["line-stopped"]
            )
            #expect((ticket["attributes"] as? [String: String])?["lineUtilisation"] == "0")
            let history = try await f.call(.get, "/api/v1/tickets/\(stopped)/events", as: "lena").text
            #expect(history.contains("Rule: Production line stopped"))
            // P1 answers in 15 minutes: the deadline follows what the rule set.
            #expect(ticket["nextDeadline"] as? String == "2026-09-21T14:28:20Z")

            let login = try await f.openTicket(as: "alice", title: "Cannot log in to the MES terminal")
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(login)/events", as: "lena").text.contains("MES-Operators")
            )
            #expect(
                !(try await f.call(.get, "/api/v1/tickets/\(login)/events", as: "alice").text.contains("MES-Operators"))
            )
            let scanner = try await f.openTicket(as: "alice", title: "Scanner frozen at dock 7")
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(scanner)", as: "lena").json()["tags"] as? [String] == [
                    "scanner"
                ]
            )
            let blocked = try await f.openTicket(
                as: "alice",
                title: "Printer queue stuck",
                extra: #", "attributes": {"lineUtilisation": "85 %", "usersAffected": 1}"#
            )
            let blockedTicket = try await f.call(.get, "/api/v1/tickets/\(blocked)", as: "lena").json()
            #expect(blockedTicket["severity"] as? String == "Sev3" && blockedTicket["impact"] as? String == "low")
            let badAttributes = try await f.call(
                .post,
                "/api/v1/tickets",
                as: "alice",
                json: #"{"title": "x", "description": "y", "attributes": {"9lives": "1"}}"#
            )
            #expect(try badAttributes.problemFields() == ["attributes.9lives"])

            #expect(try await f.call(.get, "/api/v1/settings/triage-rules", as: "alice").status == .forbidden)
            let rules = try await f.call(.get, "/api/v1/settings/triage-rules", as: "lena").json()
            #expect((rules["rules"] as? [[String: Any]])?.count == 4)
            let invalid = try await f.call(
                .put,
                "/api/v1/settings/triage-rules",
                as: "admin",
                json: #"{"rules": [{"name": "empty", "then": {}}]}"#
            )
            #expect(try invalid.problemFields() == ["rules[0].then"])
            #expect(
                try await f.call(.put, "/api/v1/settings/triage-rules", as: "lena", json: #"{"rules": []}"#).status
                    == .forbidden
            )
            // A misspelt condition would match every ticket: it is refused with its name, as is a service that does not exist.
            let misspelt = try await f.call(
                .put,
                "/api/v1/settings/triage-rules",
                as: "admin",
                json: #"{"rules": [{"name": "x", "when": {"service": []}, "then": {"severity": "Sev1"}}]}"#
            )
            #expect(
                try misspelt.problemFields() == ["rules[0].when.service"]
                    && misspelt.text.contains("is not a field here")
            )
            #expect(
                try await f
                    .call(
                        .put,
                        "/api/v1/settings/triage-rules",
                        as: "admin",
                        json: #"{"rules": [{"name": "x", "then": {"severity": "Sev1", "priority": "P1"}}]}"#
                    )
                    .problemFields() == ["rules[0].then.priority"]
            )
            let ghost = try await f.call(
                .put,
                "/api/v1/settings/triage-rules",
                as: "admin",
                json: #"{"rules": [{"name": "x", "when": {"services": ["\#(UUID())"]}, "then": {"severity": "Sev1"}}]}"#
            )
            #expect(try ghost.problemFields() == ["rules[0].when.services"])
            let edited =
                #"{"rules": [{"name": "Urgent in the text", "when": {"text": ["URGENT"], "on": ["update"]}, "then": {"urgency": "high", "tag": "urgent"}}]}"#
            #expect(try await f.call(.put, "/api/v1/settings/triage-rules", as: "admin", json: edited).status == .ok)
            let plain = try await f.openTicket(as: "alice", title: "Cannot log in again")
            #expect(try await f.call(.get, "/api/v1/tickets/\(plain)", as: "lena").json()["tags"] as? [String] == [])
            let patched = try await f.call(
                .patch,
                "/api/v1/tickets/\(plain)",
                as: "lena",
                json: #"{"version": 1, "title": "Urgent: cannot log in again"}"#
            )
            #expect(
                try patched.json()["urgency"] as? String == "high" && patched.json()["tags"] as? [String] == ["urgent"]
                    && patched.json()["version"] as? Int == 2
            )

            // A rule may link only an article that exists; a linked article is set on the tickets it matches.
            let missing =
                #"{"rules": [{"name": "Scanner fix", "when": {"text": ["scanner"]}, "then": {"knownError": "KE-999"}}]}"#
            #expect(
                try await f.call(.put, "/api/v1/settings/triage-rules", as: "admin", json: missing).problemFields() == [
                    "rules[0].then.knownError"
                ]
            )
            let article = try await f.call(.post, "/api/v1/known-errors", as: "lena", json: KnownErrorAPITests.scanner)
                .json()
            let articleReference = try #require(article["reference"] as? String)
            let linking = missing.replacingOccurrences(of: "KE-999", with: articleReference)
            #expect(try await f.call(.put, "/api/v1/settings/triage-rules", as: "admin", json: linking).status == .ok)
            let scannerTicket = try await f.openTicket(as: "alice", title: "Scanner frozen at gate 2")
            #expect(
                try await f.call(.get, "/api/v1/tickets/\(scannerTicket)", as: "lena").json()["knownErrorId"] as? String
                    == article["id"] as? String
            )
        }
    }
}
