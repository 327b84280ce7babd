import Testing

@testable import TierdeskCore

/// Canned responses' placeholders, filled and checked.
struct TemplateTextTests {
    static let values = TemplateText.Values(
        requester: "Jonas Weber",
        organisation: "Kessler Automotive",
        reference: "TD-1042",
        title: "Scanner offline",
        agent: "Anna Berg"
    )

    @Test func placeholdersAreFilledAndOtherBracesStay() {
        let text = TemplateText.fill(
            "Hello {requester_first_name} ({organisation}),\n{reference} “{title}”: see {requester}. {json: {x}} {}\n{agent}",
            with: Self.values
        )
        #expect(
            text
                == "Hello Jonas (Kessler Automotive),\nTD-1042 “Scanner offline”: see Jonas Weber. {json: {x}} {}\nAnna Berg"
        )
        #expect(TemplateText.fill("{reference", with: Self.values) == "{reference")
    }

    @Test func unknownPlaceholdersAreNamedOnce() {
        #expect(
            TemplateText.unknownPlaceholders(in: "{customer} {reference} {customer} {ticket_id} {a b} {42}") == [
                "customer", "ticket_id",
            ]
        )
    }

    @Test func aTemplateIsCheckedAsTyped() {
        #expect(throws: Never.self) {
            try ResponseTemplate.validate(name: "Restart", body: "Hi {requester}", status: .resolved, group: "Apps")
        }
        do {
            try ResponseTemplate.validate(name: " ", body: "Hi {customer}", status: .new, group: "a\nb")
            Issue.record("refused")
        } catch {
            #expect(error.errors.map(\.field) == ["name", "body", "status", "group"])
            #expect(error.errors[1].message.hasPrefix("uses {customer}, which is not a placeholder; use {requester}"))
        }
    }
}
