/// Limits for a ticket's attributes (facts for triage such as `lineUtilisation`) and tags.
public enum TicketAttributes {
    public static let maxCount = 20
    public static let maxValueCharacters = 200
    public static let maxTags = 20

    /// Checks names (a letter, then letters, digits or `_`, at most 40) and values (one line, at most 200 characters).
    public static func check(_ attributes: [String: String], errors: inout [FieldError]) {
        if attributes.count > maxCount {
            errors.append(FieldError(field: "attributes", message: "at most \(maxCount) attributes"))
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let valid =
                name.count <= 40 && name.first.map { $0.isASCII && $0.isLetter } == true
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !valid {
                errors.append(
                    FieldError(
                        field: "attributes.\(name.prefix(40))",
                        message: "names must start with a letter and hold only letters, digits and _ (at most 40)"
                    )
                )
            } else {
                _ = TextLimits.line(
                    value,
                    field: "attributes.\(name)",
                    maxCharacters: maxValueCharacters,
                    errors: &errors
                )
            }
        }
    }

    /// A tag as stored: trimmed, lower case, no commas.
    public static func tag(_ text: String) -> String? {
        let tag = text.trimmingWhitespace().lowercased()
        guard !tag.isEmpty, tag.count <= 40, !tag.contains(","),
            !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return tag
    }
}
