import Foundation
import Testing

@testable import TierdeskCore

/// Outgoing mail, threading, the loop guard and the mail plan of ticket writes.
struct MailChannelTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    static let identity = DeskMailIdentity(
        address: "Support@Desk.Example",
        name: "Service Desk",
        baseURL: "https://desk.example/"
    )
    static let threading = identity.threading

    static func parse(_ text: String) throws -> MailMessage {
        try MailMessage.parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    // MARK: Rendering

    @Test func renderedMailReadsBackWithTheSameSubjectAndBody() throws {
        let mail = OutgoingMail(
            from: MailAddress(name: "Service Desk", address: "support@desk.example"),
            to: [MailAddress(name: "Jürgen Groß", address: "juergen@kessler.example")],
            subject: "[TD-1042] Störung: Förderband steht – bitte prüfen, es ist dringend und der Betreff ist lang",
            messageID: "td-1042-abc@desk.example",
            inReplyTo: "first@kessler.example",
            references: ["td-1042@desk.example", "first@kessler.example"],
            autoSubmitted: .autoReplied,
            date: Self.t0,
            text: "Grüße\n.\nZeile mit Punkt",
            ticketNumber: 1042
        )
        let raw = mail.render()
        let parsed = try MailMessage.parse(raw)
        #expect(parsed.subject == mail.subject)
        #expect(parsed.text?.replacingOccurrences(of: "\r\n", with: "\n") == "Grüße\n.\nZeile mit Punkt")
        #expect(parsed.from?.address == "support@desk.example")
        #expect(parsed.to.first?.name == "Jürgen Groß")
        #expect(parsed.messageID == "td-1042-abc@desk.example")
        #expect(parsed.inReplyTo == ["first@kessler.example"])
        #expect(parsed.references == ["td-1042@desk.example", "first@kessler.example"])
        #expect(parsed.header("Auto-Submitted") == "auto-replied")
        #expect(parsed.header("X-Tierdesk-Ticket") == "TD-1042")
        let lines = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func userTextCannotAddHeaders() throws {
        let mail = OutgoingMail(
            from: MailAddress(name: "Desk\r\nBcc: victim@evil.example", address: "support@desk.example"),
            to: [MailAddress(name: "x", address: "sam@example.com>\r\nBcc: <other@evil.example")],
            subject: "Hello\r\nBcc: attacker@evil.example\nX-Injected: yes",
            messageID: "id@desk.example\r\nX-Evil: 1",
            inReplyTo: "a@b\r\nX-Evil: 2",
            date: Self.t0,
            text: "Body\r\n\r\nBcc: not-a-header@example.com"
        )
        let raw = String(decoding: mail.render(), as: UTF8.self)
        let headerBlock = raw.components(separatedBy: "\r\n\r\n")[0]
        let names = headerBlock.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }
            .compactMap { $0.split(separator: ":").first.map(String.init) }
        #expect(!names.contains("Bcc"))
        #expect(!names.contains("X-Injected"))
        #expect(!names.contains("X-Evil"))
        let parsed = try MailMessage.parse(mail.render())
        #expect(parsed.subject == "Hello  Bcc: attacker@evil.example X-Injected: yes")
        #expect(parsed.header("Bcc") == nil)
    }

    // MARK: Threading

    @Test func ourMessageIDsNameTheirTicketAndOthersDoNot() {
        let threading = Self.threading
        #expect(threading.ticketNumber(inMessageID: threading.messageID(ticketNumber: 1042, key: "E1-ABC")) == 1042)
        #expect(threading.ticketNumber(inMessageID: "<td-1042@desk.example>") == 1042)
        #expect(threading.ticketNumber(inMessageID: "td-1042-x@evil.example") == nil)
        #expect(threading.ticketNumber(inMessageID: "td-10x42@desk.example") == nil)
        #expect(threading.ticketNumber(inMessageID: "abc@desk.example") == nil)
    }

    @Test func messageIDWinsOverTheSubjectTag() throws {
        let reply = try Self.parse(
            "From: sam@example.com\nSubject: Re: [TD-1001] old\nIn-Reply-To: <td-1042-e1@desk.example>\n\nhi\n"
        )
        #expect(Self.threading.target(of: reply) == .messageID(1042))
        let tagged = try Self.parse(
            "From: sam@example.com\nSubject: AW: [td-1001] old\nIn-Reply-To: <other@example.com>\n\nhi\n"
        )
        #expect(Self.threading.target(of: tagged) == .subjectTag(1001))
        let fresh = try Self.parse("From: sam@example.com\nSubject: [TD-] nothing [TD-12a]\n\nhi\n")
        #expect(Self.threading.target(of: fresh) == .none)
    }

    @Test func titlesLoseReplyPrefixesAndTheTag() {
        #expect(MailThreading.title(fromSubject: "Re: AW: Fwd: [TD-1042] Printer offline") == "Printer offline")
        #expect(MailThreading.title(fromSubject: "   ") == "(no subject)")
        #expect(MailThreading.tagged("[TD-1042] Printer", ticketNumber: 1042) == "[TD-1042] Printer")
        #expect(MailThreading.tagged("Printer", ticketNumber: 1042) == "[TD-1042] Printer")
    }

    // MARK: Loop guard

    @Test(arguments: [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Precedence: bulk", "Precedence: bulk"),
        ("Precedence: junk", "Precedence: junk"),
        ("X-Loop: helpdesk@example.com", "X-Loop"),
        ("X-Auto-Response-Suppress: OOF", "X-Auto-Response-Suppress"),
        ("Return-Path: <>", "Return-Path: <>"),
        ("List-Id: <news.example.com>", "a mailing list"),
    ])
    func machineMailIsNotAnswered(header: String, reason: String) throws {
        let message = try Self.parse("From: sam@example.com\n\(header)\nSubject: x\n\nbody\n")
        #expect(LoopGuard.verdict(for: message, threading: Self.threading) == .doNotAnswer(reason))
    }

    @Test func peopleAreAnsweredAndDaemonsAndOurOwnMailAreNot() throws {
        #expect(
            LoopGuard.verdict(
                for: try Self.parse("From: sam@example.com\nAuto-Submitted: no\nSubject: x\n\nbody\n"),
                threading: Self.threading
            ) == .answerable
        )
        #expect(
            LoopGuard.verdict(
                for: try Self.parse("From: MAILER-DAEMON@mx.example.com\nSubject: x\n\nbody\n"),
                threading: Self.threading
            )
            .reason != nil
        )
        #expect(
            LoopGuard.verdict(
                for: try Self.parse("From: sam@example.com\nMessage-ID: <td-5-e@desk.example>\nSubject: x\n\nbody\n"),
                threading: Self.threading
            ) == .doNotAnswer("our own message")
        )
        #expect(
            LoopGuard.isBounce(
                try Self.parse(
                    "From: postmaster@mx.example.com\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\nfailed\n--b--\n"
                )
            )
        )
    }

    // MARK: Mail plan

    static let requester = Person(
        id: UUID(),
        email: "sam@brightcart.example",
        name: "Sam Ortiz",
        roles: [.requester],
        organisationID: UUID(),
        createdAt: t0
    )
    static let agent = Person(
        id: UUID(),
        email: "anna@desk.example",
        name: "Anna",
        roles: [.agent],
        tier: .l1,
        createdAt: t0
    )
    static let lead = Person(
        id: UUID(),
        email: "ben@desk.example",
        name: "Ben",
        roles: [.agent],
        tier: .l2,
        createdAt: t0
    )
    static var people: [UUID: Person] { [requester.id: requester, agent.id: agent, lead.id: lead] }

    static func ticket() -> Ticket {
        let (ticket, _) = try! TicketWorkflow()
            .open(
                TicketDraft(title: "Checkout fails", description: "500s", channel: .email),
                by: requester.actor,
                references: TicketReferences(requester: requester),
                number: 1042,
                at: t0
            )
        return ticket
    }

    @Test func aNewTicketIsAcknowledgedWithItsReferenceInTheRequestersThread() {
        let ticket = Self.ticket()
        let created = TicketEvent(
            ticketID: ticket.id,
            kind: .created,
            actorID: Self.requester.id,
            at: Self.t0,
            after: "TD-1042"
        )
        let context = TicketMailContext(
            ticket: ticket,
            events: [created],
            people: Self.people,
            inboundMessageIDs: ["first@brightcart.example"]
        )
        let plan = TicketMailPlanner.plan(context, identity: Self.identity)
        #expect(plan.count == 1)
        let mail = plan[0].mail
        #expect(mail.to == [MailAddress(name: "Sam Ortiz", address: "sam@brightcart.example")])
        #expect(mail.subject == "[TD-1042] Received: Checkout fails")
        #expect(mail.text.contains("TD-1042") && mail.text.contains("https://desk.example/portal/tickets/TD-1042"))
        #expect(mail.autoSubmitted == .autoReplied && plan[0].automatic)
        #expect(mail.inReplyTo == "first@brightcart.example")
        #expect(mail.references == ["td-1042@desk.example", "first@brightcart.example"])
        #expect(Self.threading.ticketNumber(inMessageID: mail.messageID) == 1042)
        // The same write plans the same mail: the key and the Message-ID are stable.
        #expect(TicketMailPlanner.plan(context, identity: Self.identity) == plan)
        var quiet = context
        quiet.mayAnswerAutomatically = false
        #expect(TicketMailPlanner.plan(quiet, identity: Self.identity).isEmpty)
    }

    @Test func aReplyAndAStatusChangeMakeOneMailAndTheRequestersOwnWordsNone() {
        var ticket = Self.ticket()
        ticket.status = .resolved
        let reply = TicketEvent(
            ticketID: ticket.id,
            kind: .publicReply,
            actorID: Self.agent.id,
            at: Self.t0,
            body: "We rolled back the release.",
            byStaff: true
        )
        let status = TicketEvent(
            ticketID: ticket.id,
            kind: .statusChanged,
            actorID: Self.agent.id,
            at: Self.t0,
            field: "status",
            before: "in_progress",
            after: "resolved",
            byStaff: true
        )
        let plan = TicketMailPlanner.plan(
            TicketMailContext(ticket: ticket, events: [reply, status], people: Self.people),
            identity: Self.identity
        )
        #expect(plan.count == 1)
        #expect(plan[0].mail.autoSubmitted == nil && !plan[0].automatic)
        #expect(
            plan[0].mail.text.contains("We rolled back the release.")
                && plan[0].mail.text.contains("changed to Resolved")
        )
        let own = TicketEvent(
            ticketID: ticket.id,
            kind: .publicReply,
            actorID: Self.requester.id,
            at: Self.t0,
            body: "Still broken"
        )
        #expect(
            TicketMailPlanner.plan(
                TicketMailContext(ticket: ticket, events: [own], people: Self.people),
                identity: Self.identity
            )
            .isEmpty
        )
    }

    @Test func agentsHearOfAssignmentAndEscalationButNotOfTheirOwnActs() {
        var ticket = Self.ticket()
        ticket.ownerID = Self.agent.id
        let assigned = TicketEvent(
            ticketID: ticket.id,
            kind: .assigned,
            actorID: Self.lead.id,
            at: Self.t0,
            field: "ownerId",
            after: Self.agent.id.uuidString,
            byStaff: true
        )
        let plan = TicketMailPlanner.plan(
            TicketMailContext(ticket: ticket, events: [assigned], people: Self.people),
            identity: Self.identity
        )
        #expect(plan.map(\.mail.to) == [[MailAddress(name: "Anna", address: "anna@desk.example")]])
        #expect(plan.first?.mail.autoSubmitted == .autoGenerated)
        let selfAssigned = TicketEvent(
            ticketID: ticket.id,
            kind: .assigned,
            actorID: Self.agent.id,
            at: Self.t0,
            field: "ownerId",
            after: Self.agent.id.uuidString,
            byStaff: true
        )
        #expect(
            TicketMailPlanner.plan(
                TicketMailContext(ticket: ticket, events: [selfAssigned], people: Self.people),
                identity: Self.identity
            )
            .isEmpty
        )
        ticket.ownerID = nil
        ticket.group = "app-support"
        ticket.tier = .l2
        let escalated = TicketEvent(
            ticketID: ticket.id,
            kind: .escalated,
            actorID: Self.agent.id,
            at: Self.t0,
            field: "tier",
            before: "L1",
            after: "L2",
            body: "Tried: restart",
            byStaff: true
        )
        let toLead = TicketMailPlanner.plan(
            TicketMailContext(
                ticket: ticket,
                events: [escalated],
                people: Self.people,
                groupLeads: ["app-support": Self.lead.id]
            ),
            identity: Self.identity
        )
        #expect(toLead.map(\.mail.to.first?.address) == ["ben@desk.example"])
        #expect(toLead.first?.mail.text.contains("Tried: restart") == true)
    }

    // MARK: Retries

    @Test func retriesBackOffAndEnd() {
        let policy = OutboxRetryPolicy(maxAttempts: 4, base: 30, cap: 100)
        #expect(policy.nextAttempt(after: .temporary("x"), attempts: 1, at: Self.t0) == Self.t0.addingTimeInterval(30))
        #expect(policy.nextAttempt(after: .temporary("x"), attempts: 2, at: Self.t0) == Self.t0.addingTimeInterval(60))
        #expect(policy.nextAttempt(after: .temporary("x"), attempts: 3, at: Self.t0) == Self.t0.addingTimeInterval(100))
        #expect(policy.nextAttempt(after: .temporary("x"), attempts: 4, at: Self.t0) == nil)
        #expect(policy.nextAttempt(after: .permanent("x"), attempts: 1, at: Self.t0) == nil)
    }

    @Test func mailDatesAreRFC5322InUTC() {
        #expect(OutgoingMail.rfc5322Date(Timestamp.parse("2026-03-01T07:05:09Z")!) == "Sun, 1 Mar 2026 07:05:09 +0000")
        #expect(
            OutgoingMail.rfc5322Date(Timestamp.parse("2028-02-29T23:59:59.9Z")!) == "Tue, 29 Feb 2028 23:59:59 +0000"
        )
    }
}
