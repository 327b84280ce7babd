/// A text as its lower-case words, for matching rule phrases: a phrase matches when its words appear
/// one after another in the text ("cannot log in" matches "I cannot log in since Monday").
public struct TextWords: Sendable {
    let words: [Substring]
    /// Where each word first occurs; `later[i]` is the next occurrence of the word at `i` (or -1).
    let first: [Substring: Int]
    let later: [Int]

    public init(_ text: String) {
        words = Self.words(in: text)
        var first: [Substring: Int] = [:]
        first.reserveCapacity(words.count)
        var later = Array(repeating: -1, count: words.count)
        // The latest occurrence so far of the word that first occurred at an index.
        var tail = Array(repeating: -1, count: words.count)
        for (index, word) in words.enumerated() {
            if let head = first[word] {
                later[tail[head]] = index
                tail[head] = index
            } else {
                first[word] = index
                tail[index] = index
            }
        }
        self.first = first
        self.later = later
    }

    /// Lower-case runs of letters and digits (any non-ASCII character counts as a letter). Works on
    /// UTF-8 bytes: splitting by characters costs more than all the rules together.
    public static func words(in text: String) -> [Substring] {
        let lower = text.lowercased()
        let utf8 = lower.utf8
        var words: [Substring] = []
        var start: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) {
                if start == nil { start = index }
            } else if let first = start {
                words.append(lower[first..<index])
                start = nil
            }
            index = utf8.index(after: index)
        }
        if let first = start { words.append(lower[first..<utf8.endIndex]) }
        return words
    }

    /// Whether the phrase's words appear in a row.
    public func contains(_ phrase: [Substring]) -> Bool {
        guard let head = phrase.first else { return true }
        guard var start = first[head] else { return false }
        while start >= 0 {
            if start + phrase.count <= words.count,
                phrase.indices.dropFirst().allSatisfy({ words[start + $0] == phrase[$0] })
            {
                return true
            }
            start = later[start]
        }
        return false
    }
}
