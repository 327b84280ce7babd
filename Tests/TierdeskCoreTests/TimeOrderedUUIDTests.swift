import Foundation
import Testing

@testable import TierdeskCore

/// Version 7 identifiers: their layout, and that later ones sort after earlier ones as stored.
struct TimeOrderedUUIDTests {
    @Test func theLayoutIsVersion7WithTheRFCVariant() {
        let id = UUID.timeOrdered(milliseconds: 0x0123_4567_89AB)
        let text = id.uuidString
        #expect(text.hasPrefix("01234567-89AB-7"))
        #expect(["8", "9", "A", "B"].contains(text[text.index(text.startIndex, offsetBy: 19)]))
    }

    @Test func laterMillisecondsSortLaterInTextAndBytes() {
        let ids = (0..<200).map { UUID.timeOrdered(milliseconds: 1_780_000_000_000 + UInt64($0) * 7) }
        let texts = ids.map(\.uuidString)
        #expect(texts == texts.sorted())
        let bytes = ids.map { withUnsafeBytes(of: $0.uuid) { Array($0) } }
        #expect(bytes == bytes.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func identifiersOfOneMillisecondDiffer() {
        let ids = Set((0..<1_000).map { _ in UUID.timeOrdered(milliseconds: 1_780_000_000_000) })
        #expect(ids.count == 1_000)
    }
}
