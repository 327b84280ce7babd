import Foundation

/// Where a webhook goes, and whether that is inside a private network. Requests into private, loopback,
/// link-local and similar networks are refused unless an admin allows them: otherwise anyone who may
/// configure a webhook could make the server call its own neighbours (server-side request forgery).
public struct WebhookTarget: Sendable, Equatable {
    public var url: URL
    public var host: String

    /// Longest URL taken.
    public static let maxLength = 2000

    public init(_ text: String) throws(FieldError) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.count <= Self.maxLength, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else {
            throw FieldError(field: "url", message: "must be an http or https URL with a host and no user name, at most \(Self.maxLength) characters")
        }
        self.url = url
        // A final dot names the same host ("localhost." is localhost).
        var name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        self.host = name
    }

    /// Parses a URL an admin or a person gives for outgoing calls and refuses, naming `field`, one whose host
    /// as written is private unless `allowPrivateTargets`; `permission` says who may allow it.
    public static func checked(_ text: String, field: String, allowPrivateTargets: Bool, permission: String) throws(FieldError) -> WebhookTarget {
        let target: WebhookTarget
        do { target = try WebhookTarget(text) } catch { throw FieldError(field: field, message: error.message) }
        if target.isPrivateLiteral, !allowPrivateTargets {
            throw FieldError(field: field, message: "points to a private, loopback or link-local address; \(permission)")
        }
        return target
    }

    /// Whether the host, as written, is a private address or a name for this machine.
    public var isPrivateLiteral: Bool { Self.isPrivateLiteral(host) }

    /// Whether a host name or address, as written, is private (see ``isPrivateLiteral``).
    public static func isPrivateLiteral(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host.hasSuffix(".internal") { return true }
        if let bytes = Self.ipv4(host) { return Self.isPrivate(ipv4: bytes) }
        if host.contains(":") { return Self.isPrivate(ipv6Text: host) }
        return false
    }

    /// The four bytes of a dotted IPv4 address.
    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }

    /// 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, 224/4 and above.
    public static func isPrivate(ipv4 b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127), (169, 254), (172, 16...31), (192, 168), (198, 18...19): return true
        case (192, 0): return b[2] == 0
        default: return b[0] >= 224
        }
    }

    /// ::, ::1, fc00::/7, fe80::/10, multicast, and IPv4-mapped private addresses.
    public static func isPrivate(ipv6 b: [UInt8]) -> Bool {
        guard b.count == 16 else { return true }
        if b[0..<15].allSatisfy({ $0 == 0 }) && (b[15] == 0 || b[15] == 1) { return true }
        if b[0] & 0xfe == 0xfc || (b[0] == 0xfe && b[1] & 0xc0 == 0x80) || b[0] == 0xff { return true }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isPrivate(ipv4: Array(b[12..<16])) }
        return false
    }

    static func isPrivate(ipv6Text text: String) -> Bool {
        let lower = text.lowercased()
        if lower == "::" || lower == "::1" { return true }
        if let mapped = lower.split(separator: ":").last, let v4 = ipv4(String(mapped)), lower.hasPrefix("::ffff:") { return isPrivate(ipv4: v4) }
        let first = lower.split(separator: ":", omittingEmptySubsequences: false).first.flatMap { UInt16($0, radix: 16) } ?? 0
        return first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80 || first & 0xff00 == 0xff00
    }
}
