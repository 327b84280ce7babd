import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TierdeskCore
import TierdeskStore

@testable import TierdeskServer

extension Browser {
    /// Posts a form whose fields may repeat (`roles[]` twice), in the order given.
    mutating func post(_ uri: String, pairs: [(String, String)]) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body =
            pairs.map {
                "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            }
            .joined(separator: "&")
        return try await fixture.client.execute(
            uri: uri,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: body)
        )
    }
}

/// The admin pages: people and invitations, the directory, the matrix and gates, channels, triage rules.
struct AdminPagesTests {
    /// The invitation link's path on a page.
    static func invitePath(in html: String) -> String? {
        guard let start = html.range(of: "/invite/inv_") else { return nil }
        return "/invite/inv_"
            + html[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    @Test func anInvitedPersonChoosesAPasswordOnceAndLogsIn() async throws {
        try await ServerFixture.with { f in
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let list = try await admin.send(.get, "/console/admin/people")
            #expect(list.status == .ok && list.text.contains("Lena") && list.text.contains("Invite someone"))
            let csrf = try #require(Browser.csrf(in: list.text))

            let refused = try await admin.post(
                "/console/admin/people",
                pairs: [("_csrf", csrf), ("name", "Nina Kraft"), ("email", "nina@example.com"), ("roles[]", "agent")]
            )
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Is required for an agent"), "the refusal is next to the tier")
            #expect(refused.text.contains("value=\"Nina Kraft\""), "the typed name is kept")

            let invited = try await admin.post(
                "/console/admin/people",
                pairs: [
                    ("_csrf", csrf), ("name", "Nina Kraft"), ("email", "nina@example.com"), ("roles[]", "agent"),
                    ("roles[]", "manager"), ("tier", "L2"),
                ]
            )
            #expect(invited.status == .ok)
            #expect(invited.text.contains("No mail relay is set up"))
            let path = try #require(Self.invitePath(in: invited.text))
            let nina = try #require(try await f.components.directory.person(email: "nina@example.com"))
            #expect(nina.roles == [.agent, .manager] && nina.tier == .l2 && nina.active)
            #expect(try await f.components.directory.credentials(email: "nina@example.com")?.1 == nil)
            #expect(invited.text.contains("invited, link valid until"))

            var newcomer = Browser(fixture: f)
            let form = try await newcomer.send(.get, path)
            #expect(form.status == .ok && form.text.contains("Welcome, Nina Kraft"))
            #expect(form.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            let token = try #require(Browser.csrf(in: form.text))
            let differ = try await newcomer.send(
                .post,
                path,
                form: ["_csrf": token, "password": "a long password", "repeated": "another one!"]
            )
            #expect(differ.status == .unprocessableContent && differ.text.contains("The two passwords differ"))
            let set = try await newcomer.send(
                .post,
                path,
                form: ["_csrf": token, "password": "a long password", "repeated": "a long password"]
            )
            #expect(set.status == .seeOther && set.headers[.location] == "/login?welcome=nina%40example%2Ecom")
            var nk = Browser(fixture: f)
            #expect(
                try await nk.logIn("nina@example.com", password: "a long password").headers[.location] == "/console"
            )

            let again = try await newcomer.send(.get, path)
            #expect(again.status == .gone && again.text.contains("has been used already"))
            let fresh = try #require(newcomer.cookies[LoginPages.loginCSRFCookie])
            let reuse = try await newcomer.send(
                .post,
                path,
                form: ["_csrf": fresh, "password": "taken over now", "repeated": "taken over now"]
            )
            #expect(reuse.status == .gone)
            var stranger = Browser(fixture: f)
            #expect(try await stranger.send(.get, "/invite/inv_forged").status == .gone)

            // Someone with a password gets no invitation: it would let the admin choose their password.
            let withPassword = try await admin.send(.get, "/console/admin/people/\(nina.id.uuidString)")
            #expect(!withPassword.text.contains("reinvite-form"))
            let refusedInvite = try await admin.send(
                .post,
                "/console/admin/people/\(nina.id.uuidString)/invite",
                form: ["_csrf": try #require(Browser.csrf(in: withPassword.text))]
            )
            #expect(
                refusedInvite.status == .unprocessableContent && refusedInvite.text.contains("has a password already")
            )
            #expect(Self.invitePath(in: refusedInvite.text) == nil)
            let both = try await admin.post(
                "/console/admin/people",
                pairs: [
                    ("_csrf", csrf), ("name", "Two Hats"), ("email", "hats@example.com"), ("roles[]", "requester"),
                    ("roles[]", "vendor"), ("organisation", f.acme.id.uuidString),
                ]
            )
            #expect(both.status == .unprocessableContent && both.text.contains("cannot also be a requester or staff"))

            // A second link replaces the first, and expires after 72 hours.
            let omarsColleague = try await admin.post(
                "/console/admin/people",
                pairs: [
                    ("_csrf", csrf), ("name", "Olga"), ("email", "olga@example.com"), ("roles[]", "agent"),
                    ("tier", "L1"),
                ]
            )
            let first = try #require(Self.invitePath(in: omarsColleague.text))
            let olga = try #require(try await f.components.directory.person(email: "olga@example.com"))
            let page = try await admin.send(.get, "/console/admin/people/\(olga.id.uuidString)")
            let renewed = try await admin.send(
                .post,
                "/console/admin/people/\(olga.id.uuidString)/invite",
                form: ["_csrf": try #require(Browser.csrf(in: page.text))]
            )
            let second = try #require(Self.invitePath(in: renewed.text))
            let secret = String(second.dropFirst("/invite/".count))
            #expect(try await f.components.invitationDesk.invitee(secret: secret).get().id == olga.id)
            if case .failure(let refusal) = try await f.components.invitationDesk.invitee(
                secret: String(first.dropFirst("/invite/".count))
            ) {
                #expect(refusal.message.contains("a newer one was sent"))
            } else {
                Issue.record("the first link still works after a second was sent")
            }
            let later = f.components.with(clock: FixedClock(ServerFixture.t0.addingTimeInterval(72 * 3600 + 1)))
            if case .failure(let refusal) = try await later.invitationDesk.invitee(secret: secret) {
                #expect(refusal.message.contains("expired"))
            } else {
                Issue.record("an invitation older than 72 hours still works")
            }

            // Agents neither see nor use the people pages.
            var lena = Browser(fixture: f)
            _ = try await lena.logIn("lena@example.com")
            #expect(try await lena.send(.get, "/console/admin/people").status == .forbidden)
            let lenaCSRF = try #require(Browser.csrf(in: try await lena.send(.get, "/console").text))
            let sneaky = try await lena.post(
                "/console/admin/people",
                pairs: [("_csrf", lenaCSRF), ("name", "Eve"), ("email", "eve@example.com"), ("roles[]", "admin")]
            )
            #expect(sneaky.status == .forbidden)
            #expect(try await f.components.directory.person(email: "eve@example.com") == nil)
        }
    }

    @Test func anInvitationIsMailedWhenARelayIsSetUp() async throws {
        let mail = MailConfiguration(
            identity: DeskMailIdentity(
                address: "support@desk.example",
                name: "Acme Support",
                baseURL: "https://desk.example"
            ),
            smtp: try SMTPConfiguration(url: "smtp://127.0.0.1:9?starttls=off")
        )
        try await ServerFixture.with(mail: mail) { f in
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let csrf = try #require(Browser.csrf(in: try await admin.send(.get, "/console/admin/people").text))
            let invited = try await admin.post(
                "/console/admin/people",
                pairs: [
                    ("_csrf", csrf), ("name", "Rita Requester"), ("email", "rita@example.com"),
                    ("roles[]", "requester"),
                    ("organisation", f.acme.id.uuidString),
                ]
            )
            #expect(invited.status == .ok && invited.text.contains("the link is in the mail to rita@example.com"))
            let queued = try await f.components.outbox.list(status: nil).filter { $0.recipient == "rita@example.com" }
            #expect(queued.count == 1)
            let payload = try JSONSerialization.jsonObject(with: try #require(queued.first).payload) as? [String: Any]
            let path = try #require(Self.invitePath(in: invited.text))
            let text = try #require(payload?["text"] as? String)
            #expect(text.contains("https://desk.example" + path + "\n"), "the mailed link is the one shown")
        }
    }

    @Test func adminsKeepPeopleDirectoryMatrixGatesAndChannelsInForms() async throws {
        try await ServerFixture.with { f in
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let bob = f.people["bob"]!
            let page = try await admin.send(.get, "/console/admin/people/\(bob.id.uuidString)")
            let csrf = try #require(Browser.csrf(in: page.text))
            let deactivated = try await admin.post(
                "/console/admin/people/\(bob.id.uuidString)",
                pairs: [
                    ("_csrf", csrf), ("name", "Bob"), ("email", "bob@example.com"), ("roles[]", "requester"),
                    ("organisation", f.acme.id.uuidString), ("active", "0"),
                ]
            )
            #expect(deactivated.status == .seeOther)
            #expect(try await f.call(.get, "/api/v1/me", as: "bob").status == .unauthorized)
            let me = f.people["admin"]!
            let selfLockout = try await admin.post(
                "/console/admin/people/\(me.id.uuidString)",
                pairs: [("_csrf", csrf), ("name", "Admin"), ("email", "admin@example.com"), ("roles[]", "manager")]
            )
            #expect(selfLockout.status == .unprocessableContent && selfLockout.text.contains("your own admin role"))

            let organisation = try await admin.send(
                .post,
                "/console/admin/organisations",
                form: ["_csrf": csrf, "name": "Initech", "sharesTickets": "1"]
            )
            #expect(organisation.status == .seeOther)
            #expect(
                try await f.components.directory.organisations().contains { $0.name == "Initech" && $0.sharesTickets }
            )
            let unnamed = try await admin.send(
                .post,
                "/console/admin/organisations",
                form: ["_csrf": csrf, "name": " "]
            )
            #expect(unnamed.status == .unprocessableContent && unnamed.text.contains("Nothing was saved: the name"))
            let service = try await admin.send(
                .post,
                "/console/admin/services",
                form: ["_csrf": csrf, "name": "MES", "supportModel": "internal"]
            )
            #expect(service.status == .seeOther)
            let mes = try #require(try await f.components.directory.services().first { $0.name == "MES" })
            #expect(mes.supportModel == .internal)
            _ = try await admin.send(
                .post,
                "/console/admin/services/\(mes.id.uuidString)",
                form: ["_csrf": csrf, "name": "MES Line 1", "supportModel": "swarm"]
            )
            #expect(try await f.components.directory.service(mes.id)?.supportModel == .swarm)
            let group = try await admin.send(
                .post,
                "/console/admin/groups",
                form: ["_csrf": csrf, "name": "Shopfloor", "tier": "L2", "lead": f.people["omar"]!.id.uuidString]
            )
            #expect(group.status == .seeOther)
            let directory = try await admin.send(.get, "/console/admin/directory")
            #expect(
                directory.text.contains("Shopfloor") && directory.text.contains("Omar")
                    && directory.text.contains("MES Line 1")
            )

            var matrix: [String: String] = ["_csrf": csrf]
            for cell in PriorityMatrix.standard.entries {
                matrix["cell-\(cell.impact.rawValue)-\(cell.urgency.rawValue)"] = cell.priority.rawValue
            }
            matrix["cell-medium-high"] = "P1"
            #expect(try await admin.send(.post, "/console/admin/priority-matrix", form: matrix).status == .seeOther)
            #expect(
                try await f.components.settingsDesk.priorityMatrix().priority(impact: .medium, urgency: .high) == .p1
            )
            matrix["cell-low-low"] = nil
            let incomplete = try await admin.send(.post, "/console/admin/priority-matrix", form: matrix)
            #expect(incomplete.status == .unprocessableContent && incomplete.text.contains("impact low × urgency low"))

            let gates = try await admin.send(
                .post,
                "/console/admin/escalation-gates",
                form: [
                    "_csrf": csrf, "gate-default-l1ToL2": "1", "gate-default-l2ToL3": "1", "gate-default-l3ToL4": "1",
                    "own-\(mes.id.uuidString)": "1", "gate-\(mes.id.uuidString)-l2ToL3": "1",
                ]
            )
            #expect(gates.status == .seeOther)
            let saved = try await f.components.settingsDesk.escalationGates(for: me.actor)
            #expect(
                saved.defaults == .all
                    && saved.gates(for: mes.id) == EscalationGates(l1ToL2: false, l2ToL3: true, l3ToL4: false)
            )

            let hook = try await admin.post(
                "/console/admin/webhooks",
                pairs: [
                    ("_csrf", csrf), ("url", "https://hooks.example.com/tierdesk"), ("events[]", "ticket.created"),
                ]
            )
            #expect(hook.status == .ok && hook.text.contains("Signing secret of https://hooks.example.com/tierdesk"))
            let plainHTTP = try await admin.post(
                "/console/admin/webhooks",
                pairs: [("_csrf", csrf), ("url", "ftp://hooks.example.com"), ("events[]", "ticket.created")]
            )
            #expect(plainHTTP.status == .unprocessableContent && plainHTTP.text.contains("Nothing was saved"))
            let token = try await admin.send(
                .post,
                "/console/admin/integrations",
                form: ["_csrf": csrf, "name": "Prometheus", "kind": "alertmanager"]
            )
            #expect(token.status == .ok && token.text.contains("Token of Prometheus") && token.text.contains("tdi_"))
            let integration = try #require(try await f.components.integrations.all().first { $0.name == "Prometheus" })
            let revoked = try await admin.send(
                .post,
                "/console/admin/integrations/\(integration.id.uuidString)/revoke",
                form: ["_csrf": csrf]
            )
            #expect(revoked.status == .seeOther)
            #expect(try await f.components.integrations.all().first { $0.id == integration.id }?.revokedAt != nil)
        }
    }

    @Test func aTriageRuleIsTriedOnATicketBeforeItIsSaved() async throws {
        try await ServerFixture.with { f in
            let reference = try await f.openTicket(as: "alice", title: "Label printer offline")
            var admin = Browser(fixture: f)
            _ = try await admin.logIn("admin@example.com")
            let csrf = try #require(Browser.csrf(in: try await admin.send(.get, "/console/admin/triage-rules").text))
            var rule: [(String, String)] = [
                ("_csrf", csrf), ("index", ""), ("name", "Printers are urgent"), ("enabled", "1"), ("on[]", "create"),
                ("text", "label printer\nzebra"), ("attributeName[]", ""), ("attributeOp[]", "eq"),
                ("attributeValue[]", ""), ("impact", "high"), ("urgency", "high"), ("tag", "printer"),
            ]
            let tried = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("action", "test"), ("testTicket", reference)]
            )
            #expect(tried.status == .ok)
            #expect(tried.text.contains("The rule matches \(reference)"))
            #expect(tried.text.contains("priority: P3 → P1") && tried.text.contains("tags:  → printer"))
            #expect(tried.text.contains("value=\"Printers are urgent\""), "the builder keeps the rule")
            let before = try await f.components.settings.triageRules().rules
            #expect(tried.text.contains("1. Production line stopped"), "the rules in force are listed")
            let other = try await f.openTicket(as: "carol", title: "VPN down")
            let miss = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("action", "test"), ("testTicket", other)]
            )
            #expect(miss.text.contains("The rule does not match \(other)"))
            let unknown = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("action", "test"), ("testTicket", "TD-999999")]
            )
            #expect(unknown.status == .unprocessableContent)

            let badGroup = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("group", "Nobody"), ("action", "save")]
            )
            #expect(
                badGroup.status == .unprocessableContent && badGroup.text.contains("no support group is named Nobody")
            )
            rule.append(("attributeName[]", "lineUtilisation"))
            let noNumber = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("attributeOp[]", "lt"), ("action", "save")]
            )
            #expect(
                noNumber.status == .unprocessableContent
                    && noNumber.text.contains("give a number to compare lineUtilisation")
            )
            let saved = try await admin.post(
                "/console/admin/triage-rules",
                pairs: rule + [("attributeOp[]", "lt"), ("attributeValue[]", "0,5"), ("action", "save")]
            )
            #expect(saved.status == .seeOther)
            let rules = try await f.components.settings.triageRules().rules
            #expect(rules.count == before.count + 1, "trying saved nothing; saving saved one")
            let added = try #require(rules.last)
            #expect(added.when.text == ["label printer", "zebra"] && added.then.impact == .high)
            #expect(added.when.attributes == [.init(name: "lineUtilisation", op: .lt, value: 0.5)])
            let list = try await admin.send(.get, "/console/admin/triage-rules").text
            #expect(list.contains("text has “label printer” or “zebra”, lineUtilisation &lt; 0.5"))
            let edit = try await admin.send(.get, "/console/admin/triage-rules?edit=\(before.count)").text
            #expect(
                edit.contains("Change rule \(before.count + 1)") && edit.contains(">label printer\nzebra</textarea>")
            )
            let removed = try await admin.send(
                .post,
                "/console/admin/triage-rules/remove",
                form: ["_csrf": csrf, "index": String(before.count)]
            )
            #expect(removed.status == .seeOther)
            #expect(try await f.components.settings.triageRules().rules == before)
        }
    }
}
