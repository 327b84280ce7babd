import Foundation
import HTTPTypes
import Testing
import TierdeskCore

@testable import TierdeskServer

/// The reports through the real router and database: the checklist, figures, drill-down lists and their CSV
/// exports, who may see them, and the console page.
struct ReportTests {
    /// The fixture's clock stands on Monday 21 September 2026; the home time zone is Europe/Berlin.
    static let month = "2026-09"

    /// Three tickets opened by L1 for Alice: two resolved at L1, one escalated to L2 and resolved there.
    /// The first title would run as a formula in a spreadsheet.
    func history(_ f: ServerFixture) async throws -> (resolvedAtL1: Set<String>, escalated: String) {
        let alice = try #require(f.people["alice"])
        var resolved: Set<String> = []
        for title in ["=HYPERLINK(\\\"http://x\\\")", "Label printer offline"] {
            let reference = try await f.openTicket(as: "lena", title: title, extra: #", "requesterId": "\#(alice.id)""#)
            let status = try await f.call(
                .post,
                "/api/v1/tickets/\(reference)/status",
                as: "lena",
                json: #"{"version": 1, "status": "resolved", "resolution": "solved", "comment": "Fixed."}"#
            )
            #expect(status.status == .ok)
            resolved.insert(reference)
        }
        let escalated = try await f.openTicket(
            as: "lena",
            title: "Stock wrong",
            extra: #", "requesterId": "\#(alice.id)""#
        )
        #expect(
            try await f
                .call(
                    .post,
                    "/api/v1/tickets/\(escalated)/escalations",
                    as: "lena",
                    json: #"{"version": 1, "reason": "Data", "tried": "Reload", "noEvidenceReason": "Nothing logged"}"#
                )
                .status == .ok
        )
        #expect(
            try await f
                .call(
                    .post,
                    "/api/v1/tickets/\(escalated)/corrections",
                    as: "omar",
                    json: #"{"target": "stock of part 4711", "change": "12 → 40", "reason": "Count after the audit"}"#
                )
                .status == .created
        )
        #expect(
            try await f
                .call(
                    .post,
                    "/api/v1/tickets/\(escalated)/status",
                    as: "omar",
                    json: #"{"version": 2, "status": "resolved", "resolution": "solved", "comment": "Corrected."}"#
                )
                .status == .ok
        )
        return (resolved, escalated)
    }

    @Test func theChecklistCountsTheHistoryAndEachNumberListsItsTickets() async throws {
        try await ServerFixture.with { f in
            let (resolvedAtL1, escalated) = try await history(f)
            let checklist = try await f.call(.get, "/api/v1/reports/checklist?period=\(Self.month)", as: "admin")
            #expect(checklist.status == .ok)
            let body = try checklist.decoded(as: ChecklistDTO.self)
            #expect(body.period.label == Self.month)
            #expect(body.period.timeZone == "Europe/Berlin")
            #expect(body.controls.count == 7)
            let l1 = try #require(body.controls.first { $0.id == .l1Resolution })
            #expect((l1.count, l1.total, l1.status) == (2, 3, .met))
            #expect(l1.trend.count == 12)
            let privileged = try #require(body.controls.first { $0.id == .privilegedAccess })
            #expect((privileged.count, privileged.total, privileged.status) == (1, 1, .met))
            #expect(body.controls.first { $0.id == .sev1Response }?.status == .noData)

            let list = try await f.call(
                .get,
                "/api/v1/reports/tickets?period=\(Self.month)&slice=resolved:L1",
                as: "admin"
            )
            #expect(list.status == .ok)
            let tickets = try list.decoded(as: ReportTicketsDTO.self)
            #expect(Set(tickets.tickets.map(\.reference)) == resolvedAtL1)
            #expect(tickets.count == l1.count)
            let l2 = try await f.call(
                .get,
                "/api/v1/reports/tickets?period=\(Self.month)&slice=resolved-after-escalation:L2",
                as: "admin"
            )
            #expect(try l2.decoded(as: ReportTicketsDTO.self).tickets.map(\.reference) == [escalated])
            // A page at a time: the first holds the newest, its cursor leads to the rest, the last has none.
            let first =
                try await f.call(
                    .get,
                    "/api/v1/reports/tickets?period=\(Self.month)&slice=resolved:L1&limit=1",
                    as: "admin"
                )
                .decoded(as: ReportTicketsDTO.self)
            #expect(first.count == l1.count && first.tickets.count == 1)
            let cursor = try #require(first.nextCursor)
            let rest =
                try await f.call(
                    .get,
                    "/api/v1/reports/tickets?period=\(Self.month)&slice=resolved:L1&limit=1&cursor=\(cursor)",
                    as: "admin"
                )
                .decoded(as: ReportTicketsDTO.self)
            #expect(rest.tickets.count == 1 && rest.nextCursor == nil)
            #expect(first.tickets.map(\.reference) + rest.tickets.map(\.reference) == tickets.tickets.map(\.reference))
            for query in ["limit=0", "limit=1001", "cursor=abc", "cursor=0", "cursor=-5", "cursor="] {
                let response = try await f.call(
                    .get,
                    "/api/v1/reports/tickets?slice=opened&\(query)",
                    as: "admin"
                )
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.problemFields() == [String(query.prefix { $0 != "=" })], "\(query)")
            }

            let csv = try await f.call(
                .get,
                "/api/v1/reports/tickets.csv?period=\(Self.month)&slice=resolved:L1",
                as: "admin"
            )
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = String(buffer: csv.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            let recomputed = try await f.call(
                .get,
                "/api/v1/reports/tickets.csv?period=\(Self.month)&slice=resolved:L1&tz=UTC",
                as: "admin"
            )
            #expect(String(buffer: recomputed.body).components(separatedBy: "\r\n").filter { !$0.isEmpty } == lines)
            #expect(lines[0].hasPrefix("reference,title,"))
            // The formula is defused and quoted, never run.
            #expect(lines.contains { $0.contains(#","'=HYPERLINK(""http://x"")","#) })

            let figures = try await f.call(.get, "/api/v1/reports/figures?period=\(Self.month)", as: "admin")
            let dto = try figures.decoded(as: ReportFiguresDTO.self)
            #expect((dto.opened, dto.resolved, dto.firstContact) == (3, 3, 2))
            #expect(dto.tiers.map(\.resolved) == [2, 1, 0, 0])
            #expect(dto.correctors.first?.person?.name == "Omar")
            #expect((dto.onCall.pagesNotified, dto.onCall.people.count) == (0, 0))
            let audit = try await f.call(.get, "/api/v1/reports/corrections.csv?period=\(Self.month)", as: "admin")
            #expect(String(buffer: audit.body).contains("Count after the audit"))
            let corrections = try await f.call(.get, "/api/v1/reports/corrections?period=\(Self.month)", as: "admin")
            let entries = try corrections.decoded(as: CorrectionsDTO.self).corrections
            #expect(entries.map(\.reason) == ["Count after the audit"])
            #expect(entries.first?.privileged == true && entries.first?.ticket == escalated)
            try await expectCorrectionPages(f, ticket: escalated)
            let controls = try await f.call(.get, "/api/v1/reports/checklist.csv?period=\(Self.month)", as: "admin")
            let rows = String(buffer: controls.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.first == "period,control,rule,threshold,value,count,total,status")
            #expect(rows.contains("2026-09,l1_resolution,L1 resolves at least 60 % of all volume,0.6,0.6667,2,3,met"))
            #expect(rows.count == 8)
        }
    }

    /// Two more corrections of `ticket` at the fixture's one instant: the audit list, a page of one at a
    /// time, from the projection and recomputed (another time zone), holds each correction once, in order.
    func expectCorrectionPages(_ f: ServerFixture, ticket: String) async throws {
        for reason in ["Second count", "Third count"] {
            let json = #"{"target": "bin 7", "change": "A → B", "reason": "\#(reason)"}"#
            #expect(
                try await f.call(.post, "/api/v1/tickets/\(ticket)/corrections", as: "omar", json: json).status
                    == .created
            )
        }
        for zone in ["", "&tz=UTC"] {
            var reasons: [String] = []
            var cursor: String?
            repeat {
                let page =
                    try await f.call(
                        .get,
                        "/api/v1/reports/corrections?period=\(Self.month)\(zone)&limit=1"
                            + (cursor.map { "&cursor=\($0)" } ?? ""),
                        as: "admin"
                    )
                    .decoded(as: CorrectionsDTO.self)
                #expect(page.count == 3 && page.corrections.count == 1, "\(zone)")
                reasons += page.corrections.map(\.reason)
                cursor = page.nextCursor
            } while cursor != nil && reasons.count < 4
            #expect(reasons == ["Count after the audit", "Second count", "Third count"], "\(zone)")
        }
        // Every correction in the export, read from the projection or recomputed (another time zone).
        for zone in ["", "&tz=UTC"] {
            let csv = try await f.call(.get, "/api/v1/reports/corrections.csv?period=\(Self.month)\(zone)", as: "admin")
            #expect(String(buffer: csv.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)
        }
        for query in ["limit=0", "cursor=abc", "cursor=1-2", "cursor=01-2-0", "cursor=1-2-3-4", "cursor="] {
            let response = try await f.call(.get, "/api/v1/reports/corrections?\(query)", as: "admin")
            #expect(response.status == .badRequest, "\(query)")
            #expect(try response.problemFields() == [String(query.prefix { $0 != "=" })], "\(query)")
        }
    }

    @Test func agentsSeeTheirOwnTiersReportsAndCustomersNone() async throws {
        try await ServerFixture.with { f in
            _ = try await history(f)
            let own = try await f.call(.get, "/api/v1/reports/checklist?period=\(Self.month)", as: "lena")
            #expect(own.status == .ok)
            let body = try own.decoded(as: ChecklistDTO.self)
            #expect(body.filter.tier == .l1)
            // Only the ticket still at L1 counts: the escalated one is at L2 now.
            #expect(body.controls.first { $0.id == .l1Resolution }.map { ($0.count, $0.total) }! == (2, 2))
            #expect(try await f.call(.get, "/api/v1/reports/checklist?tier=L2", as: "lena").status == .forbidden)
            #expect(try await f.call(.get, "/api/v1/reports/figures", as: "alice").status == .forbidden)
            #expect(try await f.call(.get, "/api/v1/reports/tickets?slice=opened", as: "carol").status == .forbidden)
            #expect(try await f.call(.get, "/api/v1/reports/checklist").status == .unauthorized)
        }
    }

    @Test func badParametersAreNamed() async throws {
        try await ServerFixture.with { f in
            for (query, field) in [
                ("period=2026-13", "period"), ("period=2026-11-20..2026-11-01", "period"), ("tz=Mars/Olympus", "tz"),
                ("organisation=acme", "organisation"), ("tier=L9", "tier"), ("kind=year", "kind"),
            ] {
                let response = try await f.call(.get, "/api/v1/reports/checklist?\(query)", as: "admin")
                #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(query)")
                #expect(try response.problemFields() == [field], "\(query)")
            }
            let unknown = try await f.call(.get, "/api/v1/reports/tickets?slice=everything", as: "admin")
            #expect(try unknown.problemFields() == ["slice"])
            let missing = try await f.call(.get, "/api/v1/reports/tickets", as: "admin")
            #expect(try missing.problemFields() == ["slice"])
        }
    }

    @Test func theConsolePageShowsTheChecklistWithChartsAndDrillsDown() async throws {
        try await ServerFixture.with { f in
            let (resolvedAtL1, _) = try await history(f)
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("admin@example.com")
            let page = try await browser.send(.get, "/console/reports?period=\(Self.month)")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<h1>Reports · 2026-09</h1>"))
            #expect(html.contains("id=\"control-l1_resolution\""))
            #expect(html.contains("<svg class=\"chart\" id=\"trend-l1_resolution\" role=\"img\""))
            #expect(html.contains("<title id=\"tier-share-title\">"))
            let link = "/console/reports/tickets?period=2026-09&amp;tz=Europe/Berlin&amp;slice=resolved:L1"
            #expect(html.contains("<a href=\"\(link)\">2</a>"))
            // A compliance number lists only its priority's tickets.
            let p3 =
                "/console/reports/tickets?period=2026-09&amp;tz=Europe/Berlin&amp;priority=P3&amp;slice=clock:resolution:met"
            #expect(html.contains("<a href=\"\(p3)\">3</a>"))
            let drilled = try await browser.send(.get, link.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(drilled.status == .ok)
            for reference in resolvedAtL1 { #expect(drilled.text.contains(">\(reference)</a>")) }
            #expect(drilled.text.contains("&#61;HYPERLINK") || drilled.text.contains("=HYPERLINK"))
            let csv = try await browser.send(.get, "/console/reports/tickets.csv?period=2026-09&slice=resolved:L1")
            #expect(String(buffer: csv.body).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
            // A page at a time: the older tickets follow a link (of as many), which links back to the newest.
            let paged = try await browser.send(.get, link.replacingOccurrences(of: "&amp;", with: "&") + "&limit=1")
            #expect(paged.text.contains("2 tickets"))
            let older = try #require(
                paged.text.range(of: #"href="([^"]*cursor=[0-9]+)" rel="next""#, options: .regularExpression)
            )
            let next = String(paged.text[older].dropFirst(6).prefix { $0 != "\"" })
                .replacingOccurrences(of: "&amp;", with: "&")
            let second = try await browser.send(.get, next)
            #expect(second.status == .ok)
            #expect(second.text.contains(">Newest tickets</a>"))
            #expect(!second.text.contains("rel=\"next\""))
            #expect(
                Set(resolvedAtL1.filter { paged.text.contains(">\($0)</a>") || second.text.contains(">\($0)</a>") })
                    == resolvedAtL1
            )
            var requester = Browser(fixture: f)
            _ = try await requester.logIn("alice@example.com")
            #expect(try await requester.send(.get, "/console/reports").status != .ok)
        }
    }

    @Test func aCustomerSeesItsOwnOrganisationsSLAReportOnly() async throws {
        try await ServerFixture.with { f in
            _ = try await history(f)
            let acme = f.acme.id.uuidString
            let managed = try await f.call(
                .get,
                "/api/v1/reports/customer?organisation=\(acme)&month=\(Self.month)",
                as: "admin"
            )
            #expect(managed.status == .ok)
            let report = try managed.decoded(as: CustomerReportDTO.self)
            #expect(report.organisation.name == "Acme")
            #expect(report.byPriority.map(\.opened).reduce(0, +) == 3)
            #expect(report.byPriority.map(\.resolved).reduce(0, +) == 3)
            #expect(report.availability.isEmpty)
            // Alice's organisation shares tickets: she sees its report without naming it.
            let own = try await f.call(.get, "/api/v1/reports/customer?month=\(Self.month)", as: "alice")
            #expect(
                try own.decoded(as: CustomerReportDTO.self).byPriority.map(\.opened) == report.byPriority.map(\.opened)
            )
            // Carol's does not share, and nobody learns of another organisation.
            #expect(try await f.call(.get, "/api/v1/reports/customer", as: "carol").status == .forbidden)
            let foreign = "/api/v1/reports/customer?organisation=\(f.globex.id.uuidString)"
            #expect(try await f.call(.get, foreign, as: "alice").status == .notFound)
            #expect(try await f.call(.get, "/api/v1/reports/customer", as: "lena").status == .unprocessableContent)
            #expect(
                try await f.call(.get, "/api/v1/reports/customer?organisation=\(acme)&month=2026-W40", as: "admin")
                    .status == .unprocessableContent
            )

            var browser = Browser(fixture: f)
            _ = try await browser.logIn("alice@example.com")
            let page = try await browser.send(.get, "/portal/sla-report?month=\(Self.month)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>SLA report · Acme · 2026-09</h1>"))
            #expect(page.text.components(separatedBy: "<section class=\"sheet\"").count == 4)
            #expect(page.text.contains("href=\"/portal/sla-report\">SLA report</a>"))
            var manager = Browser(fixture: f)
            _ = try await manager.logIn("admin@example.com")
            let chooser = try await manager.send(.get, "/console/reports/customer")
            #expect(chooser.text.contains("/console/reports/customer?organisation=\(acme)\">Acme</a>"))
            let printable = try await manager.send(
                .get,
                "/console/reports/customer?organisation=\(acme)&month=\(Self.month)"
            )
            #expect(printable.text.contains("month=2026-08\">← previous month</a>"))
        }
    }
}
