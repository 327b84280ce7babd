/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, read the way the system resolver reads a host name:
/// IPv4 also in the classic `inet_aton` forms (`127.1`, `0x7f000001`, `2130706433`, `017700000001`), IPv6
/// with `::` and a dotted IPv4 tail. A check that must agree with where a connection really goes parses
/// with this, never with a narrower rule.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if host.contains(":") {
            // A zone (`fe80::1%eth0`) names an interface, not a different address.
            guard let bytes = Self.ipv6(host.split(separator: "%", maxSplits: 1).first ?? "") else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.ipv4(host) else { return nil }
            self.bytes = bytes
        }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv6 address carries: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
    /// (`::a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`); or the address itself when it is IPv4.
    public var embeddedIPv4: [UInt8]? {
        if isIPv4 { return bytes }
        let prefix = bytes[0..<12]
        if prefix.allSatisfy({ $0 == 0 }) { return Array(bytes[12...]) }
        if prefix.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return Array(bytes[12...])
        }
        if Array(prefix) == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return Array(bytes[12...]) }
        return nil
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// `inet_aton`: one to four parts, each decimal, octal (leading 0) or hex (0x); the last part fills
    /// the bytes that remain (`127.1` is 127.0.0.1).
    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt32] = []
        for part in parts {
            guard let value = number(part) else { return nil }
            values.append(value)
        }
        var result: [UInt8] = []
        for value in values.dropLast() {
            guard value <= 0xff else { return nil }
            result.append(UInt8(value))
        }
        let remaining = 4 - result.count
        let last = values[values.count - 1]
        guard remaining == 4 || last < (UInt32(1) << (8 * UInt32(remaining))) else { return nil }
        for shift in (0..<remaining).reversed() {
            result.append(UInt8(truncatingIfNeeded: last >> (8 * UInt32(shift))))
        }
        return result
    }

    private static func number(_ part: Substring) -> UInt32? {
        guard !part.isEmpty, part.count <= 34, part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            return digits.isEmpty ? 0 : UInt32(digits, radix: 16)
        }
        if lower.hasPrefix("0"), lower.count > 1 { return UInt32(lower.dropFirst(), radix: 8) }
        return UInt32(lower, radix: 10)
    }

    /// Eight groups of up to four hex digits, one `::` for a run of zero groups, a dotted IPv4 tail.
    static func ipv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ half: String, allowIPv4Tail: Bool) -> [UInt16]? {
            guard !half.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowIPv4Tail, piece.contains(".") {
                    let parts = piece.split(separator: ".", omittingEmptySubsequences: false)
                    guard parts.count == 4 else { return nil }
                    let octets = parts.compactMap { $0.count <= 3 && $0.allSatisfy(\.isASCII) ? UInt8($0) : nil }
                    guard octets.count == 4 else { return nil }
                    result.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                    result.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

/// A network in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address.
public struct IPNetwork: Sendable, Hashable {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.address = address
    }

    /// Whether `other` lies in this network; an IPv4-mapped IPv6 address is compared as IPv4.
    public func contains(_ other: IPAddress) -> Bool {
        var candidate = other.bytes
        if address.isIPv4, !other.isIPv4 {
            guard let v4 = other.embeddedIPv4, other.bytes[10] == 0xff else { return false }
            candidate = v4
        }
        guard candidate.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address.bytes, candidate) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }
}
