import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

/// Plans, contracts, time, scope, vendor costs, balances and statements through the API, on the fixture's
/// database (SQLite, or PostgreSQL with TIERDESK_TEST_DATABASE_URL). The clock stands at Monday
/// 21 September 2026, 14:13 UTC; August is over.
struct BillingAPITests {
    static let tier1 = #"""
        {"name":"Tier 1","includedHours":10,"currency":"GBP","monthlyFee":"450.00","overageRate":"85.00",
         "outOfScopeRate":"95","projectRate":"75.00","roundingMinutes":15,"minimumMinutes":30,
         "extras":["recommendations"]}
        """#

    static func manager(_ f: ServerFixture) async throws -> Person {
        try await f.components.directoryDesk.createPerson(
            email: "maria@example.com",
            name: "Maria",
            roles: [.manager],
            tier: nil,
            organisationID: nil,
            vendorID: nil,
            password: ServerFixture.password
        )
    }

    /// A plan and Acme's contract from 1 August, with Maria as account manager; returns Maria's token.
    static func contract(_ f: ServerFixture) async throws -> (plan: String, maria: String) {
        let maria = try await manager(f)
        let token = try await f.components.directoryDesk.issueToken(name: "tests", for: maria.id).1
        let plan = try await f.call(.post, "/api/v1/billing/plans", as: "admin", json: tier1)
        #expect(plan.status == .created)
        let planID = try plan.decoded(as: PlanDTO.self).id.uuidString
        let contract = try await f.call(
            .post,
            "/api/v1/billing/contracts",
            as: "admin",
            json:
                #"{"organisationId":"\#(f.acme.id)","planId":"\#(planID)","starts":"2026-08-01","ends":"2027-07-31","accountManagerId":"\#(maria.id)"}"#
        )
        #expect(contract.status == .created)
        return (planID, token)
    }

    @Test func aTier1MonthIsBilledAsCalculatedWarnedOnceAndClosed() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            let (_, maria) = try await Self.contract(f)
            func call(_ method: HTTPRequest.Method, _ path: String, as who: String, json: String? = nil)
                async throws -> TestResponse
            {
                who == "maria"
                    ? try await f.call(method, path, json: json, headers: [.authorization: "Bearer \(maria)"])
                    : try await f.call(method, path, as: who, json: json)
            }
            // Money is for managers and admins.
            let seen = try await call(.get, "/api/v1/billing/plans", as: "lena").decoded(as: [PlanDTO].self)
            #expect(seen.first?.monthlyFee == nil && seen.first?.includedHours == 10)
            let priced = try await call(.get, "/api/v1/billing/plans", as: "maria").decoded(as: [PlanDTO].self)
            #expect(priced.first?.monthlyFee == "450.00" && priced.first?.outOfScopeRate == "95.00")
            #expect(try await call(.get, "/api/v1/billing/plans", as: "alice").status == .forbidden)
            #expect(
                try await call(.post, "/api/v1/billing/plans", as: "maria", json: Self.tier1).status == .forbidden
            )
            let bad = try await call(
                .post,
                "/api/v1/billing/plans",
                as: "admin",
                json:
                    #"{"name":"Tier 1","currency":"gbp","monthlyFee":"a","overageRate":"1","outOfScopeRate":"1","projectRate":"1","slaPolicy":"gold"}"#
            )
            #expect(try bad.problemFields() == ["monthlyFee"])
            let named = try await call(
                .post,
                "/api/v1/billing/plans",
                as: "admin",
                json:
                    #"{"name":"Tier 9","currency":"gbp","monthlyFee":"1","overageRate":"1","outOfScopeRate":"1","projectRate":"1","slaPolicy":"gold"}"#
            )
            #expect(Set(try named.problemFields()) == ["currency", "slaPolicy"])

            var tickets: [String] = []
            for title in ["Label printer", "Scanner", "Line 2 MES", "Own macro broke", "New report"] {
                tickets.append(try await f.openTicket(as: "alice", title: title))
            }
            func log(_ ticket: Int, _ start: String, _ minutes: Int, _ extra: String = "") async throws -> [Int] {
                let from = Timestamp.parse(start)!
                let end = Timestamp.format(from.addingTimeInterval(Double(minutes) * 60))
                let response = try await call(
                    .post,
                    "/api/v1/tickets/\(tickets[ticket])/work",
                    as: "lena",
                    json: #"{"start":"\#(start)","end":"\#(end)","note":"Worked on it"\#(extra)}"#
                )
                #expect(response.status == .created, "\(response.text)")
                return try response.decoded(as: LoggedTimeDTO.self).balanceWarnings
            }
            #expect(try await log(0, "2026-08-03T09:00:00Z", 50) == [])
            #expect(try await log(0, "2026-08-03T10:00:00Z", 20, #","category":"recommendation""#) == [])
            #expect(try await log(1, "2026-08-04T09:00:00Z", 10) == [])
            #expect(try await log(2, "2026-08-05T08:00:00Z", 400) == [80])
            #expect(try await log(2, "2026-08-06T08:00:00Z", 115) == [100])
            #expect(try await log(2, "2026-08-07T08:00:00Z", 40, #","billable":false"#) == [])
            #expect(try await log(0, "2026-08-10T08:00:00Z", 5) == [])  // TD-1: 75 → still 75

            // Out of scope needs the requester's consent; a project has a title and an estimate.
            let noConsent = try await call(
                .put,
                "/api/v1/tickets/\(tickets[3])/scope",
                as: "lena",
                json: #"{"scope":"out_of_scope"}"#
            )
            #expect(try noConsent.problemFields() == ["consent"])
            #expect(
                try await call(
                    .put,
                    "/api/v1/tickets/\(tickets[3])/scope",
                    as: "alice",
                    json: #"{"scope":"guidance_only"}"#
                )
                .status == .forbidden
            )
            let consented = try await call(
                .put,
                "/api/v1/tickets/\(tickets[3])/scope",
                as: "lena",
                json: #"{"scope":"out_of_scope","consent":"Alice agreed by phone on 11 August"}"#
            )
            #expect(try consented.decoded(as: ScopeDTO.self).scope == .outOfScope)
            #expect(try await log(3, "2026-08-11T09:00:00Z", 50) == [])
            let project = try await call(
                .put,
                "/api/v1/tickets/\(tickets[4])/scope",
                as: "lena",
                json: #"{"scope":"project","projectTitle":"Monthly scrap report","estimateHours":12}"#
            )
            #expect(try project.decoded(as: ScopeDTO.self).project == "PRJ-1")
            #expect(try await log(4, "2026-08-12T09:00:00Z", 100) == [])
            // The project stopped the ticket's SLA clocks.
            let clocks = try await call(.get, "/api/v1/tickets/\(tickets[4])/sla", as: "lena").text
            #expect(!clocks.contains(#""state":"running""#))
            // The requester sees the change in the timeline (the fixture checks it against the OpenAPI document).
            let timeline = try await call(.get, "/api/v1/tickets/\(tickets[4])/events", as: "alice").text
            #expect(timeline.contains(#""kind":"scope_changed""#) && timeline.contains("PRJ-1"))
            #expect(
                try await call(
                    .put,
                    "/api/v1/tickets/\(tickets[3])/scope",
                    as: "alice",
                    json: #"{"scope":"project","projectTitle":"Mine","estimateHours":1}"#
                )
                .status == .forbidden
            )

            // Vendor costs: managers record them, agents do not.
            let cost =
                #"{"amount":"120.00","currency":"GBP","note":"NordERP support call","incurredAt":"2026-08-12T10:00:00Z"}"#
            #expect(
                try await call(.post, "/api/v1/tickets/\(tickets[2])/vendor-costs", as: "lena", json: cost).status
                    == .forbidden
            )
            let euro = cost.replacingOccurrences(of: "GBP", with: "EUR")
            #expect(
                try await call(.post, "/api/v1/tickets/\(tickets[2])/vendor-costs", as: "maria", json: euro)
                    .problemFields() == ["currency"]
            )
            #expect(
                try await call(.post, "/api/v1/tickets/\(tickets[2])/vendor-costs", as: "maria", json: cost).status
                    == .created
            )

            // The statement matches the hand calculation of the Core test.
            let path = "/api/v1/organisations/\(f.acme.id)/statements/2026-08"
            let statement = try await call(.get, path, as: "maria").decoded(as: StatementDTO.self)
            #expect(statement.lines.map(\.billedMinutes) == [75, 30, 525, 60, 105])
            #expect(statement.lines.map(\.ticket) == tickets)
            #expect(statement.usedMinutes == 630 && statement.overageMinutes == 30)
            #expect(statement.overageAmount == "42.50" && statement.outOfScopeAmount == "95.00")
            #expect(statement.projectAmount == "131.25" && statement.vendorAmount == "120.00")
            #expect(statement.unbilledMinutes == 40 && statement.total == "838.75")
            // The customer SLA report shows the hours against the plan to those who may see the balance.
            for who in ["maria", "alice"] {
                let report = try await call(
                    .get,
                    "/api/v1/reports/customer?organisation=\(f.acme.id)&month=2026-08",
                    as: who
                )
                .json()
                let hours = report["supportHours"] as? [String: Any]
                #expect(hours?["usedMinutes"] as? Int == 630 && hours?["plan"] as? String == "Tier 1", "\(who)")
            }
            let csv = try await call(.get, path + "/csv", as: "maria")
            #expect(csv.text.contains(",Total,total,,,,838.75,GBP\r\n"))

            // Who sees it: Acme's requesters (the contract lets them), not agents, not Globex.
            #expect(try await call(.get, path, as: "alice").status == .ok)
            #expect(try await call(.get, path, as: "lena").status == .forbidden)
            #expect(try await call(.get, path, as: "carol").status == .notFound)
            let balance = try await call(
                .get,
                "/api/v1/organisations/\(f.acme.id)/balance?month=2026-08",
                as: "alice"
            )
            .decoded(as: BalanceDTO.self)
            #expect(balance.usedMinutes == 630 && balance.remainingMinutes == 0 && balance.warningsSent == [80, 100])
            #expect(
                try await call(.get, "/api/v1/organisations/\(f.globex.id)/balance", as: "carol").status == .notFound
            )

            // Each level was mailed once: to Maria, Alice and Bob.
            let mails = try await f.components.outbox.list(status: nil).filter { $0.key.hasPrefix("balance:") }
            #expect(mails.count == 6)
            #expect(Set(mails.map(\.recipient)) == ["maria@example.com", "alice@example.com", "bob@example.com"])

            // Closing: managers only, once, and only a month that is over; then August takes nothing more.
            #expect(try await call(.post, path + "/close", as: "lena").status == .forbidden)
            let closed = try await call(.post, path + "/close", as: "maria").decoded(as: StatementDTO.self)
            #expect(closed.closedBy == "Maria" && closed.total == "838.75")
            #expect(try await call(.post, path + "/close", as: "maria").status == .conflict)
            let late = try await call(
                .post,
                "/api/v1/tickets/\(tickets[0])/work",
                as: "lena",
                json: #"{"start":"2026-08-31T09:00:00Z","end":"2026-08-31T10:00:00Z","note":"Late entry"}"#
            )
            #expect(late.status == .conflict && late.text.contains("closed"))
            let august = try await call(.get, "/api/v1/tickets/\(tickets[0])/work", as: "lena")
                .decoded(as: [TimeEntryDTO].self)
            #expect(august.count == 3)
            #expect(try await call(.delete, "/api/v1/oncall/work/\(august[0].id)", as: "lena").status == .conflict)
            // Corrections go into September, which is not over.
            let correction = try await call(
                .post,
                "/api/v1/tickets/\(tickets[0])/work",
                as: "lena",
                json: #"{"minutes":30,"note":"Correction of August"}"#
            )
            #expect(correction.status == .created)
            #expect(try await call(.get, path, as: "maria").decoded(as: StatementDTO.self).total == "838.75")
            let september = "/api/v1/organisations/\(f.acme.id)/statements/2026-09"
            #expect(try await call(.get, september, as: "maria").decoded(as: StatementDTO.self).usedMinutes == 30)
            #expect(try await call(.post, september + "/close", as: "maria").status == .conflict)
        }
    }

    @Test func timersLogFromStartToStopOneAtATime() async throws {
        try await ServerFixture.with { f in
            let ticket = try await f.openTicket(as: "alice")
            let other = try await f.openTicket(as: "alice", title: "Scanner")
            #expect(try await f.call(.get, "/api/v1/timer", as: "lena").status == .noContent)
            #expect(try await f.call(.post, "/api/v1/tickets/\(ticket)/timer", as: "alice").status == .forbidden)
            let started = try await f.call(.post, "/api/v1/tickets/\(ticket)/timer", as: "lena")
            #expect(try started.decoded(as: TimerDTO.self).ticket == ticket)
            #expect(try await f.call(.post, "/api/v1/tickets/\(other)/timer", as: "lena").status == .conflict)
            // The fixed clock has not moved: a stop now would log nothing, which is refused, and the timer stays.
            let stopped = try await f.call(.post, "/api/v1/timer/stop", as: "lena", json: #"{"note":"Done"}"#)
            #expect(try stopped.problemFields() == ["end"])
            #expect(try await f.call(.get, "/api/v1/timer", as: "lena").decoded(as: TimerDTO.self).ticket == ticket)
            #expect(try await f.call(.delete, "/api/v1/timer", as: "lena").status == .noContent)
            #expect(try await f.call(.delete, "/api/v1/timer", as: "lena").status == .conflict)
        }
    }

    @Test func requestsWithTooLittleNoticeAreAnsweredFromTheTemplateAndFlagged() async throws {
        try await ServerFixture.with(mail: MailInboundTests.mail) { f in
            _ = try await Self.contract(f)
            let short = try await f.openTicket(
                as: "alice",
                title: "New user account",
                extra: #", "type": "service_request", "requestedBy": "2026-09-25T16:00:00Z""#
            )
            let ticket = try await f.call(.get, "/api/v1/tickets/\(short)", as: "lena").decoded(as: TicketDTO.self)
            #expect(ticket.tags.contains(NoticeRule.shortNoticeTag))
            #expect(ticket.nextDeadline != ticket.requestedBy)
            let acknowledgement = try await f.components.outbox.list(status: nil)
                .filter { $0.channel == .mail && $0.recipient == "alice@example.com" }
                .map { try JSONDecoder().decode(OutgoingMail.self, from: $0.payload) }
                .first { $0.subject.contains("Received: New user account") }
            #expect(
                acknowledgement?.text
                    .contains(
                        "You asked for this by 2026-09-25. Requests like this need 14 days' notice"
                    ) == true
            )
            // With two weeks' notice the date is promised and leads the queue.
            let planned = try await f.openTicket(
                as: "alice",
                title: "Laptop for new starter",
                extra: #", "type": "service_request", "requestedBy": "2026-10-09T08:00:00Z""#
            )
            let promised = try await f.call(.get, "/api/v1/tickets/\(planned)", as: "lena").decoded(as: TicketDTO.self)
            #expect(!promised.tags.contains(NoticeRule.shortNoticeTag))
            #expect(promised.nextDeadline == "2026-10-09T08:00:00Z" || promised.nextDeadline! < "2026-10-09T08:00:00Z")
            // Incidents are not held to notice.
            let incident = try await f.openTicket(
                as: "alice",
                title: "Printer down",
                extra: #", "requestedBy": "2026-09-22T08:00:00Z""#
            )
            #expect(
                !(try await f.call(.get, "/api/v1/tickets/\(incident)", as: "lena").decoded(as: TicketDTO.self).tags
                    .contains(NoticeRule.shortNoticeTag))
            )
            // The template is the admins' to change, and must name the date.
            let bad = try await f.call(
                .put,
                "/api/v1/billing/settings",
                as: "admin",
                json: #"{"shortNoticeReply":"No promises."}"#
            )
            #expect(try bad.problemFields() == ["shortNoticeReply"])
            let changed = try await f.call(
                .put,
                "/api/v1/billing/settings",
                as: "admin",
                json:
                    #"{"shortNoticeReply":"We need {{noticeDays}} days; {{neededBy}} is too soon for {{reference}}."}"#
            )
            #expect(changed.status == .ok)
            let again = try await f.openTicket(
                as: "alice",
                title: "Another account",
                extra: #", "type": "service_request", "requestedBy": "2026-09-23T16:00:00Z""#
            )
            let events = try await f.call(.get, "/api/v1/tickets/\(again)/events", as: "alice").text
            #expect(events.contains("We need 14 days; 2026-09-23 is too soon for \(again)."))

            // By mail, a "Needed by:" line makes a request with that date (17:00 in the desk's time zone).
            let (_, gate) = try await f.components.settingsDesk.createIntegration(kind: .mailgate, name: "postfix")
            let mailed = try await MailInboundTests.post(
                f,
                MailInboundTests.message(
                    from: "alice@example.com",
                    subject: "Two more scanners",
                    id: "needed@acme.example",
                    body: "We need two more scanners at dock 2.\r\nNeeded by: 2026-09-28"
                ),
                token: gate
            )
            #expect(mailed.status == .created)
            let byMail = try await f.call(.get, "/api/v1/tickets?q=scanners", as: "lena")
                .decoded(as: TicketPageDTO.self).items.first { $0.title == "Two more scanners" }
            #expect(byMail?.type == "service_request" && byMail?.requestedBy == "2026-09-28T15:00:00Z")
            #expect(byMail?.tags.contains(NoticeRule.shortNoticeTag) == true)

            // In the portal, a request with a date.
            var browser = Browser(fixture: f)
            _ = try await browser.logIn("alice@example.com")
            let form = try await browser.send(.get, "/portal/new")
            let token = try #require(Browser.csrf(in: form.text))
            let undated = try await browser.send(
                .post,
                "/portal/tickets",
                form: [
                    "_csrf": token, "title": "Desk phone", "description": "For the new starter",
                    "kind": "service_request", "neededBy": "soon",
                ]
            )
            #expect(undated.status == .unprocessableContent && undated.text.contains("neededBy must be a date"))
            #expect(undated.text.contains(#"value="Desk phone""#))
            let opened = try await browser.send(
                .post,
                "/portal/tickets",
                form: [
                    "_csrf": token, "title": "Desk phone", "description": "For the new starter",
                    "kind": "service_request", "neededBy": "2026-10-30",
                ]
            )
            #expect(opened.status == .seeOther)
            let phone = try await f.call(.get, "/api/v1/tickets?q=phone", as: "lena").decoded(as: TicketPageDTO.self)
                .items
            #expect(phone.first?.requestedBy == "2026-10-30T16:00:00Z" && phone.first?.type == "service_request")
            #expect(phone.first?.tags.contains(NoticeRule.shortNoticeTag) == false)

            // The reports count the requests that gave too little notice, and list them.
            let figures = try await f.call(.get, "/api/v1/reports/figures?period=2026-09", as: "admin").json()
            #expect(figures["shortNotice"] as? Int == 3)
            let listed =
                try await f.call(.get, "/api/v1/reports/tickets?period=2026-09&slice=short-notice", as: "admin")
                .decoded(as: ReportTicketsDTO.self)
            #expect(Set(listed.tickets.map(\.reference)) == [short, again, byMail?.reference ?? "?"])
            // The console queue shows the flag.
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let queue = try await lena.send(.get, "/console")
            #expect(
                queue.text.contains("short notice: not promised")
                    && queue.text.contains("needed by 2026-10-30 16:00 UTC")
            )
        }
    }
}

/// The billing pages: time, timer and scope on a ticket's console page, the billing overview and a printable
/// statement with its close button, and the portal's support hours.
struct BillingWebTests {
    @Test func agentsLogTimeOnTheTicketPageAndManagersCloseTheStatement() async throws {
        try await ServerFixture.with { f in
            let (_, _) = try await BillingAPITests.contract(f)
            let ticket = try await f.openTicket(as: "alice", title: "Label printer")
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            let page = try await lena.send(.get, "/console/tickets/\(ticket)")
            #expect(page.text.contains("Time and billing") && page.text.contains("Contract plan: <strong>Tier 1"))
            let token = try #require(Browser.csrf(in: page.text))
            let bad = try await lena.send(
                .post,
                "/console/tickets/\(ticket)/time",
                form: ["_csrf": token, "minutes": "lots", "category": "break_fix", "note": "Fixed"]
            )
            // The refusal sits by the field; what was typed is still there.
            #expect(
                bad.status == .unprocessableContent
                    && bad.text.contains(#"id="time-minutes-error">Must be a whole number of minutes"#)
                    && bad.text.contains(#"value="lots""#) && bad.text.contains(#"value="Fixed""#)
            )
            let logged = try await lena.send(
                .post,
                "/console/tickets/\(ticket)/time",
                form: ["_csrf": token, "minutes": "50", "category": "break_fix", "note": "Cleaned the <print head>"]
            )
            #expect(logged.status == .seeOther)
            // A reply with the time it took.
            let replied = try await lena.send(
                .post,
                "/console/tickets/\(ticket)/reply",
                form: ["_csrf": token, "body": "The printer works again.", "minutes": "10"]
            )
            #expect(replied.headers[.location] == "/console/tickets/\(ticket)?notice=replied-time")
            let after = try await lena.send(.get, "/console/tickets/\(ticket)?notice=time")
            #expect(
                after.text.contains("Cleaned the &lt;print head&gt;")
                    && after.text.contains("Reply: The printer works again.")
            )
            #expect(after.text.contains(#"<strong id="time-total">1 h</strong>"#))
            // The timer starts here and says so.
            #expect(
                try await lena.send(.post, "/console/tickets/\(ticket)/timer", form: ["_csrf": token]).status
                    == .seeOther
            )
            #expect(
                try await lena.send(.get, "/console/tickets/\(ticket)").text
                    .contains("Your timer started <time datetime=")
            )
            // Moving the work to a project.
            let moved = try await lena.send(
                .post,
                "/console/tickets/\(ticket)/scope",
                form: ["_csrf": token, "scope": "project", "projectTitle": "New label layout", "estimateHours": "6"]
            )
            #expect(moved.status == .seeOther)
            #expect(try await lena.send(.get, "/console/tickets/\(ticket)").text.contains("PRJ-1 New label layout"))
            let projects = try await f.call(.get, "/api/v1/billing/projects", as: "lena").decoded(as: [ProjectDTO].self)
            #expect(projects.map(\.reference) == ["PRJ-1"] && projects.first?.loggedMinutes == 60)
            #expect(projects.first?.estimateMinutes == 360 && projects.first?.ticket == ticket)
            #expect(try await f.call(.get, "/api/v1/billing/projects", as: "alice").status == .forbidden)

            // Agents see hours but no money; the manager opens the statement and closes a month that is over.
            let overview = try await lena.send(.get, "/console/billing?month=2026-09")
            #expect(overview.text.contains("Acme") && !overview.text.contains("GBP 450.00"))
            var maria = Browser(fixture: f)
            _ = try await maria.logIn("maria@example.com")
            let priced = try await maria.send(.get, "/console/billing?month=2026-09")
            #expect(priced.text.contains("GBP 450.00") && priced.text.contains("statement-link"))
            let september = try await maria.send(.get, "/console/billing/\(f.acme.id.uuidString)/2026-09")
            #expect(september.text.contains(#"id="statement-total""#) && !september.text.contains("close-form"))
            let august = try await maria.send(.get, "/console/billing/\(f.acme.id.uuidString)/2026-08")
            #expect(august.text.contains("close-form"))
            let closing = try #require(Browser.csrf(in: august.text))
            let closed = try await maria.send(
                .post,
                "/console/billing/\(f.acme.id.uuidString)/2026-08/close",
                form: ["_csrf": closing]
            )
            #expect(closed.status == .seeOther)
            let read = try await maria.send(.get, "/console/billing/\(f.acme.id.uuidString)/2026-08?notice=closed")
            #expect(read.text.contains("this month is read-only") && !read.text.contains("close-form"))
            let csv = try await maria.send(.get, "/console/billing/\(f.acme.id.uuidString)/2026-09/csv")
            #expect(csv.text.contains(",Total,total,,,,"))
            #expect(try await lena.send(.get, "/console/billing/\(f.acme.id.uuidString)/2026-09").status == .forbidden)

            // The admin adds a plan from the billing page; mistakes are named and nothing is saved.
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let billing = try await admin.send(.get, "/console/billing")
            #expect(billing.text.contains("PRJ-1") && billing.text.contains(#"id="plan-form""#))
            let adminToken = try #require(Browser.csrf(in: billing.text))
            var plan = [
                "_csrf": adminToken, "name": "Tier 2", "includedHours": "25", "currency": "GBP", "monthlyFee": "950",
                "overageRate": "80", "outOfScopeRate": "90", "projectRate": "70,00", "roundingMinutes": "15",
                "minimumMinutes": "x", "noticeDays": "14", "slaPolicy": "", "recommendations": "1",
            ]
            let refused = try await admin.send(.post, "/console/billing/plans", form: plan)
            #expect(
                refused.status == .unprocessableContent
                    && refused.text.contains("minimumMinutes must be a whole number")
            )
            plan["minimumMinutes"] = "30"
            #expect(try await admin.send(.post, "/console/billing/plans", form: plan).status == .seeOther)
            let plans = try await f.call(.get, "/api/v1/billing/plans", as: "admin").decoded(as: [PlanDTO].self)
            let tier2 = try #require(plans.first { $0.name == "Tier 2" })
            #expect(tier2.projectRate == "70.00" && tier2.includedHours == 25 && tier2.extras == [.recommendations])

            // The portal: Acme shares tickets, so Alice sees the statement; Carol's Globex does not, so she
            // sees the hours only.
            var alice = Browser(fixture: f)
            _ = try await alice.logIn("alice@example.com")
            let portal = try await alice.send(.get, "/portal/billing?month=2026-09")
            #expect(portal.text.contains("Statement · Acme · 2026-09") && portal.text.contains(ticket))
            let planID = try await f.call(.get, "/api/v1/billing/plans", as: "admin").decoded(as: [PlanDTO].self)[0].id
            _ = try await f.call(
                .post,
                "/api/v1/billing/contracts",
                as: "admin",
                json: #"{"organisationId":"\#(f.globex.id)","planId":"\#(planID)","starts":"2026-09-01"}"#
            )
            var carol = Browser(fixture: f)
            _ = try await carol.logIn("carol@example.com")
            let hours = try await carol.send(.get, "/portal/billing")
            #expect(hours.text.contains("Support hours · Globex") && !hours.text.contains("statement-lines"))
            #expect(hours.text.contains("does not share tickets"))
        }
    }
}
