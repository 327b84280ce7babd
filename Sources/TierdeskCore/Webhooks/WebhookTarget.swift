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
        guard trimmed.count <= Self.maxLength,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else {
            throw FieldError(
                field: "url",
                message:
                    "must be an http or https URL with a host and no user name, at most \(Self.maxLength) characters"
            )
        }
        self.url = url
        // A final dot names the same host ("localhost." is localhost).
        var name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        self.host = name
    }

    /// Parses a URL an admin or a person gives for outgoing calls and refuses, naming `field`, one whose host
    /// as written is private unless `allowPrivateTargets`; `permission` says who may allow it.
    public static func checked(_ text: String, field: String, allowPrivateTargets: Bool, permission: String)
        throws(FieldError) -> WebhookTarget
    {
        let target: WebhookTarget
        do { target = try WebhookTarget(text) } catch { throw FieldError(field: field, message: error.message) }
        if target.isPrivateLiteral, !allowPrivateTargets {
            throw FieldError(
                field: field,
                message: "points to a private, loopback or link-local address; \(permission)"
            )
        }
        return target
    }

    /// Whether the host, as written, is a private address or a name for this machine.
    public var isPrivateLiteral: Bool { Self.isPrivateLiteral(host) }

    /// Whether a host name or address, as written, is private (see ``isPrivateLiteral``). Addresses are read
    /// as the resolver reads them, so `127.1`, `0x7f000001`, `2130706433` and `[::ffff:7f00:1]` are loopback.
    public static func isPrivateLiteral(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local")
            || host.hasSuffix(".internal")
        {
            return true
        }
        guard let address = IPAddress(host) else { return false }
        return isPrivate(address)
    }

    /// Whether an address is private, loopback, link-local or otherwise not a public destination.
    public static func isPrivate(_ address: IPAddress) -> Bool {
        address.isIPv4 ? isPrivate(ipv4: address.bytes) : isPrivate(ipv6: address.bytes)
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

    /// ::/96 (::, ::1 and IPv4-compatible), fc00::/7, fe80::/10, multicast, and IPv4-mapped or NAT64
    /// addresses of private IPv4 networks.
    public static func isPrivate(ipv6 b: [UInt8]) -> Bool {
        guard let address = IPAddress(bytes: b), b.count == 16 else { return true }
        if b[0] & 0xfe == 0xfc || (b[0] == 0xfe && b[1] & 0xc0 == 0x80) || b[0] == 0xff { return true }
        if let v4 = address.embeddedIPv4 { return isPrivate(ipv4: v4) }
        return false
    }
}
