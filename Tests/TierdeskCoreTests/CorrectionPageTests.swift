import Foundation
import Testing
import TierdeskCore

/// The audit list of data corrections, a page at a time: its order, its cursor's text form and pages that
/// keep two corrections of one ticket made at one instant.
struct CorrectionPageTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func correction(_ number: Int, _ ordinal: Int, at seconds: TimeInterval) -> ReportTally.Correction {
        ReportTally.Correction(
            ticketID: UUID(),
            ticketNumber: number,
            ordinal: ordinal,
            at: t0.addingTimeInterval(seconds),
            actorID: nil,
            reason: "\(number).\(ordinal)"
        )
    }

    @Test func theCursorReadsOnlyItsOwnTextForm() {
        let cursor = CorrectionCursor(at: Self.t0.addingTimeInterval(0.000_001), ticketNumber: 1042, ordinal: 0)
        #expect(cursor.text == "1790000000000001-1042-0")
        #expect(CorrectionCursor(text: cursor.text) == cursor)
        for bad in ["", "1-2", "1-2-3-4", "01-2-3", "1--3", "a-2-3", "-1-2-3", "1-2-3 ", "1234567890123456789-2-3"] {
            #expect(CorrectionCursor(text: bad) == nil, "\(bad)")
        }
    }

    @Test func pagesRunInTheListsOrderAndKeepCorrectionsOfOneInstant() {
        let list = ReportTally(corrections: [
            Self.correction(7, 1, at: 60), Self.correction(9, 0, at: 0), Self.correction(7, 0, at: 60),
            Self.correction(3, 0, at: 60), Self.correction(7, 2, at: 60),
        ])
        .corrections
        #expect(list.map(\.reason) == ["9.0", "3.0", "7.0", "7.1", "7.2"])
        var after: CorrectionCursor?
        var read: [String] = []
        var pages = 0
        repeat {
            let page = CorrectionPage(of: list, after: after, limit: 2)
            #expect(page.total == 5)
            read += page.corrections.map(\.reason)
            after = page.next
            pages += 1
        } while after != nil && pages < 5
        #expect(read == list.map(\.reason))
        #expect(pages == 3)
        #expect(CorrectionPage(of: list, after: nil, limit: 5).next == nil)
    }
}
