/// A text as its lower-case words, for matching rule phrases: a phrase matches when its words appear
/// one after another in the text ("cannot log in" matches "I cannot log in since Monday").
public struct TextWords: Sendable {
    let words: [Substring]
    /// Where each word occurs.
    let positions: [Substring: [Int]]

    public init(_ text: String) {
        words = Self.words(in: text)
        var positions: [Substring: [Int]] = [:]
        positions.reserveCapacity(words.count)
        for (index, word) in words.enumerated() { positions[word, default: []].append(index) }
        self.positions = positions
    }

    /// Lower-case runs of letters and digits.
    public static func words(in text: String) -> [Substring] {
        let lower = text.lowercased()
        return lower.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// Whether the phrase's words appear in a row.
    public func contains(_ phrase: [Substring]) -> Bool {
        guard let first = phrase.first else { return true }
        guard let starts = positions[first] else { return false }
        return starts.contains { start in
            start + phrase.count <= words.count && phrase.indices.allSatisfy { words[start + $0] == phrase[$0] }
        }
    }
}
