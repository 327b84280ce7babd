import Foundation

/// A place in the audit list of data corrections, which runs oldest first, then by ticket number, then by
/// each correction's place among its ticket's: where a page of the list ends and the next goes on. Instants
/// count in whole microseconds, as they are stored.
public struct CorrectionCursor: Sendable, Hashable, Comparable {
    public var micros: Int64
    public var ticketNumber: Int
    public var ordinal: Int

    public init(micros: Int64, ticketNumber: Int, ordinal: Int) {
        self.micros = micros
        self.ticketNumber = ticketNumber
        self.ordinal = ordinal
    }

    public init(at instant: Date, ticketNumber: Int, ordinal: Int) {
        self.init(
            micros: Int64((instant.timeIntervalSince1970 * 1_000_000).rounded()),
            ticketNumber: ticketNumber,
            ordinal: ordinal
        )
    }

    /// Reads the text form, `micros-number-ordinal` (e.g. `1764590400000000-1042-0`); nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
            parts.allSatisfy({
                (1...18).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber }
                    && ($0.count == 1 || $0.first != "0")
            }),
            let micros = Int64(parts[0]), let number = Int(parts[1]), let ordinal = Int(parts[2])
        else { return nil }
        self.init(micros: micros, ticketNumber: number, ordinal: ordinal)
    }

    /// The text form ``init(text:)`` reads.
    public var text: String { "\(micros)-\(ticketNumber)-\(ordinal)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.micros, lhs.ticketNumber, lhs.ordinal) < (rhs.micros, rhs.ticketNumber, rhs.ordinal)
    }
}

/// One page of the audit list of data corrections.
public struct CorrectionPage: Sendable, Equatable {
    /// In the list's order (``CorrectionCursor``).
    public var corrections: [ReportTally.Correction]
    /// How many corrections the whole list holds.
    public var total: Int
    /// Where the next page goes on from, when more follow.
    public var next: CorrectionCursor?

    public init(corrections: [ReportTally.Correction], total: Int, next: CorrectionCursor?) {
        self.corrections = corrections
        self.total = total
        self.next = next
    }

    /// The page of `list` (in the list's order) after `after` (from the start when nil), `limit` long at most.
    public init(of list: [ReportTally.Correction], after: CorrectionCursor?, limit: Int) {
        let from = after.map { after in list.firstIndex { $0.cursor > after } ?? list.count } ?? 0
        let shown = Array(list[from...].prefix(limit))
        self.init(
            corrections: shown,
            total: list.count,
            next: from + shown.count < list.count ? shown.last?.cursor : nil
        )
    }
}
