import Foundation
import TierdeskCore

/// The reverse proxies whose `X-Forwarded-For` is believed (`TIERDESK_TRUSTED_PROXIES`: addresses or
/// CIDR networks, separated by commas). Behind a load balancer every request comes from the balancer, so
/// without this one person's failed logins would lock everyone out; from anyone else the header is a lie
/// a client can tell, so it is ignored.
public struct TrustedProxies: Sendable, Equatable {
    public let networks: [IPNetwork]

    public static let none = TrustedProxies(networks: [])

    public init(networks: [IPNetwork]) {
        self.networks = networks
    }

    /// Parses the variable's value; the error names the entry that is not an address or network.
    public init(parsing text: String) throws(FieldError) {
        var networks: [IPNetwork] = []
        for entry in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !entry.isEmpty {
            guard let network = IPNetwork(entry) else {
                throw FieldError(
                    field: "TIERDESK_TRUSTED_PROXIES",
                    message: "\(entry.prefix(60)) is not an IP address or a CIDR network such as 10.0.0.0/8"
                )
            }
            networks.append(network)
        }
        self.networks = networks
    }

    public func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client a request comes from: the peer itself, unless the peer is a trusted proxy; then the
    /// nearest address in `X-Forwarded-For` (read from the right, across every copy of the header) that
    /// is not a trusted proxy. Entries that are not addresses end the walk, as a forged list would.
    public func client(peer: String, forwardedFor headers: [String]) -> String {
        guard !networks.isEmpty, let peerAddress = IPAddress(peer), trusts(peerAddress) else { return peer }
        let hops = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }
        var client = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address.description
            if !trusts(address) { break }
        }
        return client
    }
}
