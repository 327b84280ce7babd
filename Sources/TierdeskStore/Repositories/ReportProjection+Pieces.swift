import TierdeskCore

extension ReportProjection {
    /// A run of whole local days or whole local months whose sums a report reads.
    struct Piece: Hashable {
        var months: Bool
        /// Day numbers (days since 1970-01-01), or month numbers (`year * 12 + month - 1`).
        var range: Range<Int>
    }

    /// Periods of at least this many days may read a month they only partly cover, less the days outside,
    /// when that reads fewer days; their neighbours (as long) then cut the same month at the same day.
    static let subtractingFrom = 62

    /// The month number of a day number.
    static func month(ofDay day: Int) -> Int {
        let date = LocalDate(daysSinceEpoch: day)
        return date.year * 12 + date.month - 1
    }

    /// The day number a month number starts on.
    static func firstDay(ofMonth month: Int) -> Int {
        LocalDate(year: month / 12, month: month % 12 + 1, day: 1).daysSinceEpoch
    }

    /// The pieces whose signed sums give a run of days: whole months inside it, and at each end either the
    /// days in the partly covered month, or (for long periods, when fewer) that month less the days outside.
    /// The pieces of neighbouring periods of one kind are identical or disjoint.
    static func pieces(of days: Range<Int>) -> [(Piece, sign: Int64)] {
        guard !days.isEmpty else { return [] }
        let first = month(ofDay: days.lowerBound)
        let last = month(ofDay: days.upperBound - 1)
        let subtracting = days.count >= subtractingFrom
        if first == last {
            let whole = firstDay(ofMonth: first)..<firstDay(ofMonth: first + 1)
            return [
                whole == days
                    ? (Piece(months: true, range: first..<first + 1), 1) : (Piece(months: false, range: days), 1)
            ]
        }
        var pieces: [(Piece, sign: Int64)] = []
        var fullFrom = first
        let firstStart = firstDay(ofMonth: first)
        if days.lowerBound != firstStart {
            let firstEnd = firstDay(ofMonth: first + 1)
            if subtracting, days.lowerBound - firstStart < firstEnd - days.lowerBound {
                pieces.append((Piece(months: true, range: first..<first + 1), 1))
                pieces.append((Piece(months: false, range: firstStart..<days.lowerBound), -1))
            } else {
                pieces.append((Piece(months: false, range: days.lowerBound..<firstEnd), 1))
            }
            fullFrom = first + 1
        }
        var fullUntil = last + 1
        let lastEnd = firstDay(ofMonth: last + 1)
        if days.upperBound != lastEnd {
            let lastStart = firstDay(ofMonth: last)
            if subtracting, lastEnd - days.upperBound < days.upperBound - lastStart {
                pieces.append((Piece(months: true, range: last..<last + 1), 1))
                pieces.append((Piece(months: false, range: days.upperBound..<lastEnd), -1))
            } else {
                pieces.append((Piece(months: false, range: lastStart..<days.upperBound), 1))
            }
            fullUntil = last
        }
        if fullFrom < fullUntil { pieces.append((Piece(months: true, range: fullFrom..<fullUntil), 1)) }
        return pieces
    }
}
