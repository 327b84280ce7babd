/// Turns free text (a ticket's title and description) into search terms for the Known Error Database:
/// words of letters and digits, lower-cased, without common words, each once, at most ``limit``.
/// The terms contain nothing but letters and digits, so they are safe in any full-text query syntax.
public enum SearchTerms {
    public static let limit = 24

    /// Words too common to tell articles apart.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "cannot", "do", "does", "for", "from", "has",
        "have", "i", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "please", "since",
        "so", "that", "the", "this", "to", "was", "we", "were", "when", "with", "you", "your", "der", "die", "das",
        "und", "ist", "nicht", "ein", "eine",
    ]

    public static func terms(in text: String, limit: Int = limit) -> [String] {
        var seen: Set<String> = []
        var terms: [String] = []
        var word = ""
        func flush() {
            defer { word = "" }
            guard word.count >= 2, word.count <= 40, !stopWords.contains(word), seen.insert(word).inserted else {
                return
            }
            terms.append(word)
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                flush()
            }
            if terms.count >= limit { return terms }
        }
        flush()
        return Array(terms.prefix(limit))
    }
}
