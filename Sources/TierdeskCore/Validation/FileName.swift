/// The one rule for names of files from outside (uploads, mail parts).
public enum FileName {
    /// The last path component without control characters, quotes, semicolons or surrounding spaces; nil
    /// when that names nothing (empty, `.` or `..`). Length is for the caller to limit.
    public static func cleaned(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0 != "\"" && $0 != ";"
        })).trimmingWhitespace()
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? nil : cleaned
    }
}
