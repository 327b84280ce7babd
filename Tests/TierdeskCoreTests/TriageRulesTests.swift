import Foundation
import Testing

@testable import TierdeskCore

/// The seed triage rules and how rules apply.
@Suite struct TriageRulesTests {
    static let now = TicketWorkflowTests.now

    func ticket(_ title: String, _ description: String = "details", attributes: [String: String] = [:]) throws -> Ticket
    {
        var draft = TicketDraft(title: title, description: description)
        draft.attributes = attributes
        return try TicketWorkflow()
            .open(
                draft,
                by: TicketWorkflowTests.requester.actor,
                references: TicketReferences(requester: TicketWorkflowTests.requester),
                number: 1042,
                at: Self.now
            )
            .0
    }

    func apply(_ ticket: Ticket, on trigger: TriageRule.Trigger = .create, rules: TriageRules = .standard) -> (
        Ticket, [TicketEvent]
    ) {
        rules.apply(to: ticket, on: trigger, matrix: .standard, at: Self.now)
    }

    @Test func aStoppedLineIsSev1() throws {
        let (ticket, events) = apply(try ticket("Line 3 down", attributes: ["lineUtilisation": "0 %"]))
        #expect(ticket.priority == .p1 && ticket.severity == .sev1 && ticket.tags == ["line-stopped"])
        #expect(
            events.map { "\($0.field ?? "") \($0.before ?? "") → \($0.after ?? "")" } == [
                "impact medium → high", "urgency medium → high", "priority P3 → P1", "severity Sev3 → Sev1",
                "tags  → line-stopped",
            ]
        )
        #expect(events.allSatisfy { $0.body == "Rule: Production line stopped" && $0.actorID == nil })
    }

    @Test func oneBlockedUserWhileTheLineRunsIsSev3() throws {
        let blocked = apply(try ticket("Cannot print", attributes: ["usersAffected": "1", "lineUtilisation": "85"])).0
        #expect(blocked.severity == .sev3 && blocked.impact == .low && blocked.priority == .p4)
        // Without the line figure the rule does not apply.
        #expect(apply(try ticket("Cannot print", attributes: ["usersAffected": "1"])).0.impact == .medium)
    }

    @Test func loginTroubleAndFrozenScannersGoToL1WithTheirRunbooks() throws {
        let (login, loginEvents) = apply(try ticket("Cannot log in to MES terminal", "unknown user since this morning"))
        #expect(login.tier == .l1 && login.tags == ["login"])
        #expect(
            loginEvents.last?.kind == .internalNote
                && loginEvents.last?.body?.hasPrefix("Rule: Cannot log in\n\n1. Check whether the password expired")
                    == true
        )
        let (scanner, scannerEvents) = apply(try ticket("Scanner unresponsive at goods receipt"))
        #expect(scanner.tags == ["scanner"] && scannerEvents.last?.body?.contains("Replace the battery") == true)
        // Create-only rules stay quiet on updates; nothing changes, nothing is recorded.
        #expect(apply(scanner, on: .update).1.isEmpty)
        #expect(apply(try ticket("Printer jam")).1.isEmpty)
    }

    @Test func rulesRunInOrderAndCheckWhatAdminsSend() throws {
        let service = UUID()
        let rules = TriageRules(rules: [
            TriageRule(
                name: "MES to its group",
                when: .init(services: [service], channels: [.api]),
                then: .init(group: "MES engineering", knownError: "KE-4", autoReply: "We received your MES request.")
            ),
            TriageRule(name: "Disabled", enabled: false, when: .init(), then: .init(severity: .sev1)),
        ])
        var mes = try ticket("Work orders slow")
        mes.serviceID = service
        let article = UUID()
        let (routed, events) = rules.apply(
            to: mes,
            on: .create,
            matrix: .standard,
            articles: [4: article],
            at: Self.now
        )
        #expect(routed.group == "MES engineering" && routed.knownErrorID == article && routed.severity == .sev3)
        #expect(events.map(\.kind) == [.assigned, .knownErrorApplied, .publicReply])
        #expect(events.last?.byStaff == false)

        let bad = TriageRules(rules: [
            TriageRule(name: "x", when: .init(attributes: [.init(name: "lineUtilisation", op: .lt)]), then: .init()),
            TriageRule(name: "x", when: .init(), then: .init(tier: .l4, knownError: "12", tag: "a,b")),
        ])
        do {
            _ = try bad.validated()
            Issue.record("invalid rules were accepted")
        } catch {
            #expect(
                error.errors.map(\.field) == [
                    "rules[0].when.attributes[0].value", "rules[0].then", "rules[1].name", "rules[1].then.tier",
                    "rules[1].then.tag", "rules[1].then.knownError",
                ]
            )
        }
        #expect(try TriageRules.standard.validated() == .standard)
    }
}

@Suite struct TextWordsTests {
    @Test func phrasesMatchWholeWordsInARow() {
        let text = TextWords("The line stopped. The LINE 3 scanner stopped, then the line-3 scanner froze — Grüße!")
        #expect(text.contains(TextWords.words(in: "line 3 scanner froze")))
        #expect(text.contains(TextWords.words(in: "the line 3")))
        #expect(text.contains(TextWords.words(in: "grüße")))
        #expect(!text.contains(TextWords.words(in: "scanner stopped then line")))
        #expect(!text.contains(TextWords.words(in: "scan")))
        #expect(text.contains([]))
    }
}
