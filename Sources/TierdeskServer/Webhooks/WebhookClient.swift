import Foundation
import NIOPosix
import TierdeskCore

#if canImport(Glibc)
import Glibc
#endif

/// Posts one webhook or HTTP page: refuses private targets unless the subscription allows them (checking every
/// address the host resolves to, then connecting to exactly the first checked one), follows no redirects,
/// signs the body, and sorts the answer into delivered, try again later, or give up.
struct WebhookClient: Sendable {
    let http: OutboundHTTP

    func post(
        url: String,
        body: Data,
        key: String,
        secret: String,
        allowPrivateTargets: Bool,
        at now: Date
    ) async throws(DeliveryFailure) {
        let target: WebhookTarget
        do { target = try WebhookTarget(url) } catch { throw .permanent("the URL is not valid: \(error.message)") }
        var pinned: IPAddress?
        if !allowPrivateTargets {
            if target.isPrivateLiteral {
                throw .permanent("\(target.host) is a private address; the subscription does not allow private targets")
            }
            // getaddrinfo blocks; it runs on NIO's thread pool, not on the threads that serve requests.
            let host = target.host
            let addresses: [IPAddress]
            do {
                addresses = try await NIOThreadPool.singleton.runIfActive { Self.resolve(host) }
            } catch {
                throw .temporary("\(host) could not be resolved: \(error)")
            }
            if addresses.isEmpty { throw .temporary("\(target.host) does not resolve") }
            if let inside = addresses.first(where: WebhookTarget.isPrivate) {
                throw .permanent(
                    "\(target.host) resolves to the private address \(inside); the subscription does not allow private targets"
                )
            }
            pinned = addresses[0]
        }
        let headers = [
            ("Content-Type", "application/json"),
            ("User-Agent", "Tierdesk-Webhooks/1"),
            ("X-Tierdesk-Delivery", key),
            (WebhookSignature.header, WebhookSignature.value(body: body, secret: secret, at: now)),
        ]
        let status: Int
        do {
            status = Int(try await http.post(target.url, pinnedTo: pinned, headers: headers, body: body).code)
        } catch {
            throw .temporary("\(target.host): \(error)")
        }
        switch status {
        case 200..<300: return
        case 300..<400: throw .permanent("\(target.host) answered \(status); redirects are not followed")
        case 408, 429, 500...: throw .temporary("\(target.host) answered \(status)")
        default: throw .permanent("\(target.host) answered \(status)")
        }
    }

    /// Every IPv4 and IPv6 address the host resolves to.
    static func resolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr {
                switch Int32(raw.pointee.sa_family) {
                case AF_INET:
                    let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        $0.pointee.sin_addr.s_addr
                    }
                    IPAddress(bytes: withUnsafeBytes(of: address) { Array($0) }).map { addresses.append($0) }
                case AF_INET6:
                    let address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    IPAddress(bytes: withUnsafeBytes(of: address) { Array($0) }).map { addresses.append($0) }
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
