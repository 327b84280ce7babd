/// What the text in a search box asks for. The store answers each part and lists the direct hits first:
/// the ticket with that reference (`TD-1042`, `#1042` or `1042`), the tickets of the requester with that
/// e-mail address, the tickets of the people and organisations with that name, then the tickets whose
/// words match (``terms``, each also as the start of a word), best first.
public struct TicketSearch: Sendable, Equatable {
    /// The ticket number the text names, if it is a reference.
    public var reference: Int?
    /// The e-mail address the text is, lower-cased.
    public var email: String?
    /// The whole text lower-cased with single spaces, for names of people and organisations; nil when it is
    /// shorter than ``minimumNameLength`` or is a reference or an address.
    public var name: String?
    /// Words for the full-text index: letters and digits only (safe in any full-text query syntax), without
    /// common words, each once, at most ``maxTerms``.
    public var terms: [String]

    /// Most words a search matches on.
    public static let maxTerms = 8
    /// Shortest name looked up among people and organisations.
    public static let minimumNameLength = 3

    public init(_ text: String) {
        let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        reference = Self.reference(in: trimmed)
        email = Self.email(in: trimmed)
        let lowered = trimmed.lowercased()
        name =
            reference == nil && email == nil && lowered.count >= Self.minimumNameLength && lowered.count <= 120
            ? lowered : nil
        terms = SearchTerms.terms(in: trimmed, limit: Self.maxTerms)
    }

    /// Whether there is nothing to look for.
    public var isEmpty: Bool { reference == nil && email == nil && name == nil && terms.isEmpty }

    /// `TD-1042` (any case), `#1042` or `1042`.
    static func reference(in text: String) -> Int? {
        if let number = TicketReference.number(in: text) { return number }
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(digits), number > 0
        else { return nil }
        return number
    }

    /// One word with an `@` that has something before it and a dot in what follows it.
    static func email(in text: String) -> String? {
        guard !text.contains(" "), text.count <= 254, let at = text.firstIndex(of: "@"), at != text.startIndex
        else { return nil }
        let domain = text[text.index(after: at)...]
        guard domain.contains("."), !domain.contains("@"), !domain.hasPrefix("."), !domain.hasSuffix(".") else {
            return nil
        }
        return text.lowercased()
    }
}
