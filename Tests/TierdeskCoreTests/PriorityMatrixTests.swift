import Testing

@testable import TierdeskCore

@Suite struct PriorityMatrixTests {
    @Test func standardMatrixRunsFromP1ToP5() {
        let matrix = PriorityMatrix.standard
        #expect(matrix.priority(impact: .high, urgency: .high) == .p1)
        #expect(matrix.priority(impact: .high, urgency: .medium) == .p2)
        #expect(matrix.priority(impact: .medium, urgency: .medium) == .p3)
        #expect(matrix.priority(impact: .low, urgency: .medium) == .p4)
        #expect(matrix.priority(impact: .low, urgency: .low) == .p5)
        #expect(matrix.entries.count == 9)
    }

    @Test func severityFollowsPriority() {
        #expect(Severity(derivedFrom: .p1) == .sev1)
        #expect(Severity(derivedFrom: .p2) == .sev2)
        for priority in [Priority.p3, .p4, .p5] { #expect(Severity(derivedFrom: priority) == .sev3) }
    }

    @Test func missingCellIsRejected() {
        let entries = Array(PriorityMatrix.standard.entries.dropLast())
        #expect(throws: ValidationFailure(field: "entries", message: "impact low × urgency low is missing")) {
            try PriorityMatrix(entries: entries)
        }
    }

    @Test func duplicateCellIsRejected() {
        var entries = PriorityMatrix.standard.entries
        entries[8] = entries[0]
        #expect(throws: ValidationFailure(field: "entries[8]", message: "impact high × urgency high appears twice")) {
            try PriorityMatrix(entries: entries)
        }
    }

    @Test func customMatrixIsUsed() throws {
        var entries = PriorityMatrix.standard.entries
        entries[4].priority = .p1
        let matrix = try PriorityMatrix(entries: entries)
        #expect(matrix.priority(impact: .medium, urgency: .medium) == .p1)
    }
}
