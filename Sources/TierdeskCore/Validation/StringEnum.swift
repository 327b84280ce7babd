import Foundation

/// A closed set of string values read from outside (JSON bodies, settings). Decoding an unknown value
/// fails with a message that lists the values allowed, which the API passes on with the field's name.
public protocol StringEnum: RawRepresentable<String>, CaseIterable, Codable {}

extension StringEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")) (got \(raw.prefix(40)))"
            )
        }
        self = value
    }
}
