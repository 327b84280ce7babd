/// Writes an optional as JSON `null` instead of leaving the key out, as the API document promises
/// for nullable fields. Synthesized `Encodable` conformances call the wrapper's `encode(to:)` always.
@propertyWrapper
struct Nullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}
