import Foundation

/// The de-duplication key of an alert.
public enum AlertKey {
    /// The key the source gave, if usable; otherwise one made from the labels, as Alertmanager makes its
    /// fingerprint: the same labels always give the same key.
    public static func make(given: String?, labels: [String: String]) -> String {
        if let given = given?.trimmingWhitespace(), !given.isEmpty, isUsable(given) { return given }
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{1}\($0.value)" }.joined(separator: "\u{2}")
        return "labels-" + FNV.hex(text)
    }

    /// Whether a key a source gives may be kept: not too long, no control characters.
    static func isUsable(_ key: String) -> Bool {
        key.count <= AlertSignal.maxKeyLength
            && !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    }
}

/// 64-bit FNV-1a: a stable, dependency-free digest for keys and lock numbers.
public enum FNV {
    public static func digest(_ text: String, offset: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = offset
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// 128 bits as hex: the digest with two offsets.
    static func hex(_ text: String) -> String {
        String(digest(text), radix: 16) + String(digest(text, offset: 0x8422_2325_cbf2_9ce4), radix: 16)
    }
}
