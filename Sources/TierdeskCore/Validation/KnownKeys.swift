/// Any key of a JSON object, for looking at keys a type does not declare.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension Decoder {
    /// Refuses an object with a key outside `keys`, naming it: for rules an admin writes, a misspelt
    /// condition must be an error, not a condition silently left out (which would match every ticket).
    func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown,
                in: container,
                debugDescription: "is not a field here; use \(known.sorted().joined(separator: ", "))"
            )
        }
    }
}
