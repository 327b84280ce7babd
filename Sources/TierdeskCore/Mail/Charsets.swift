import Foundation

/// Turns bytes in a named charset into text. Invalid bytes become U+FFFD; unknown charsets are read as
/// UTF-8 when valid, else as Windows-1252 (what mislabelled mail most often is).
public enum Charsets {
    public static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        let name = (charset ?? "utf-8").trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")).lowercased()
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso8859-1", "l1":
            return singleByte(bytes) { Unicode.Scalar($0) }
        case "iso-8859-15", "latin-9", "iso8859-15":
            return singleByte(bytes, latin9)
        case "windows-1252", "cp1252":
            return singleByte(bytes, windows1252)
        default:
            if let encoding = foundationEncoding(name), let text = String(data: Data(bytes), encoding: encoding) {
                return text
            }
            if let text = String(validating: Data(bytes), as: UTF8.self) { return text }
            return singleByte(bytes, windows1252)
        }
    }

    /// Text in a single-byte charset, written straight to UTF-8 (ASCII bytes pass through).
    static func singleByte(_ bytes: some Collection<UInt8>, _ scalar: (UInt8) -> Unicode.Scalar) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                utf8.append(byte)
            } else {
                utf8 += UTF8.encode(scalar(byte))!
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    private static func foundationEncoding(_ name: String) -> String.Encoding? {
        switch name {
        case "windows-1250", "cp1250": .windowsCP1250
        case "windows-1251", "cp1251": .windowsCP1251
        case "iso-8859-2", "latin2": .isoLatin2
        case "utf-16": .utf16
        case "shift_jis", "shift-jis", "sjis": .shiftJIS
        case "euc-jp": .japaneseEUC
        case "iso-2022-jp": .iso2022JP
        default: nil
        }
    }

    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
            0xFFFD, 0x017D, 0xFFFD,
            0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153,
            0xFFFD, 0x017E, 0x0178,
        ]
        return (0x80...0x9F).contains(byte) ? Unicode.Scalar(high[Int(byte) - 0x80])! : Unicode.Scalar(byte)
    }

    /// ISO-8859-15: Latin-1 with the euro sign and a few letters swapped in.
    static func latin9(_ byte: UInt8) -> Unicode.Scalar {
        let swapped: [UInt8: UInt32] = [
            0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153,
            0xBE: 0x0178,
        ]
        return swapped[byte].flatMap(Unicode.Scalar.init) ?? Unicode.Scalar(byte)
    }
}
