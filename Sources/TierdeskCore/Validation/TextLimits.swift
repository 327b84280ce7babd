/// Size limits for text that comes from outside, checked before anything is stored.
public enum TextLimits {
    /// Longest ticket title, in characters.
    public static let title = 300
    /// Largest description, reply or note body, in UTF-8 bytes (1 MiB).
    public static let body = 1_048_576
    /// Longest short label (group, names, token names), in characters.
    public static let label = 100
    /// Longest name of an organisation, service, vendor or person, in characters.
    public static let name = 200

    /// Checks a required single-line text: trimmed, non-empty, at most `maxCharacters`, no control characters.
    public static func line(_ value: String, field: String, maxCharacters: Int, errors: inout [FieldError]) -> String {
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty {
            errors.append(FieldError(field: field, message: "must not be empty"))
        } else if trimmed.count > maxCharacters {
            errors.append(
                FieldError(field: field, message: "must be at most \(maxCharacters) characters (got \(trimmed.count))")
            )
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(FieldError(field: field, message: "must not contain control characters such as line breaks"))
        }
        return trimmed
    }

    /// Checks a required multi-line body: non-blank, at most ``body`` bytes, no NUL characters
    /// (which databases cannot store in text).
    public static func body(_ value: String, field: String, errors: inout [FieldError]) -> String {
        if value.utf8.count > body {
            errors.append(FieldError(field: field, message: "must be at most \(body) bytes (got \(value.utf8.count))"))
        } else if value.utf8.contains(0) {
            errors.append(FieldError(field: field, message: "must not contain NUL characters"))
        } else if value.trimmingWhitespace().isEmpty {
            errors.append(FieldError(field: field, message: "must not be empty"))
        }
        return value
    }
}

extension String {
    /// The string without leading and trailing white space and line breaks.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension Substring {
    /// The text without leading and trailing white space and line breaks.
    public func trimmingWhitespace() -> String {
        String(self).trimmingWhitespace()
    }
}
