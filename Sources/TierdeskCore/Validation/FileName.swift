/// The one rule for names of files from outside (uploads, mail parts).
public enum FileName {
    /// Names Windows reserves for devices, whatever the extension (`con.txt` opens the console there).
    static let deviceNames: Set<String> = {
        var names: Set<String> = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
        for digit in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"] {
            names.insert("COM" + digit)
            names.insert("LPT" + digit)
        }
        return names
    }()

    /// The last path component, cleaned so that it shows what it is and opens nothing it should not:
    /// no control or format characters (Unicode categories Cc and Cf: bidirectional overrides such as
    /// U+202E, zero-width spaces and joiners, isolates), no quotes, semicolons or colons (alternate data
    /// streams), no surrounding spaces or trailing dots, and a device name such as `con.txt` prefixed
    /// with `_`. Nil when that names nothing (empty, `.` or `..`). Length is for the caller to limit.
    public static func cleaned(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = last.unicodeScalars.filter {
            let category = $0.properties.generalCategory
            return category != .control && category != .format && $0 != "\"" && $0 != ";" && $0 != ":"
        }
        var cleaned = String(String.UnicodeScalarView(kept)).trimmingWhitespace()
        guard !cleaned.isEmpty, cleaned != ".", cleaned != ".." else { return nil }
        while cleaned.last == "." || cleaned.last == " " { cleaned.removeLast() }
        guard !cleaned.isEmpty else { return nil }
        if isDeviceName(cleaned) { cleaned = "_" + cleaned }
        return cleaned
    }

    /// Whether the part before the first dot (spaces ignored, as Windows does) is a reserved device name.
    static func isDeviceName(_ name: String) -> Bool {
        let stem = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return deviceNames.contains(stem.trimmingWhitespace().uppercased())
    }
}
