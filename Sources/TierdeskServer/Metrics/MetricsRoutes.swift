import HTTPTypes
import Hummingbird
import TierdeskCore
import TierdeskStore

/// `GET /metrics`: the metrics in Prometheus' text format. Served to a scraper on this machine (a request
/// from a loopback address that no proxy forwarded) or to one that sends the scrape token
/// (`Authorization: Bearer …`, set with `TIERDESK_METRICS_TOKEN`); anyone else gets 403.
struct MetricsRoutes {
    let metrics: TierdeskMetrics
    let backlog: BacklogRepository
    let database: TierdeskDatabase
    let clock: any Clock
    /// The scrape token; without one only loopback scrapers are served.
    let token: String?

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/metrics") { request, context in
            guard allowed(request, context) else {
                return Response(
                    status: .forbidden,
                    headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string:
                                "Metrics are served to a scraper on this machine, or with the scrape token (Authorization: Bearer, TIERDESK_METRICS_TOKEN).\n"
                        )
                    )
                )
            }
            let text = metrics.exposition(
                backlog: try await backlog.backlog(at: clock.now()),
                writes: await database.writeActivity(),
                poolConnections: database.poolConnections
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: text))
            )
        }
    }

    /// Loopback without forwarding headers, or the scrape token.
    func allowed(_ request: Request, _ context: TierdeskRequestContext) -> Bool {
        if let authorization = request.headers[.authorization] {
            guard let token, authorization.lowercased().hasPrefix("bearer ") else { return false }
            return Secrets.constantTimeEqual(String(authorization.dropFirst("bearer ".count)), token)
        }
        let forwarded =
            request.headers[.xForwardedFor] != nil || request.headers[HTTPField.Name("Forwarded")!] != nil
        return !forwarded && Self.isLoopback(context.clientAddress)
    }

    /// The loopback networks; an IPv4 loopback address mapped into IPv6 counts as IPv4.
    static let loopback = ["127.0.0.0/8", "::1/128"].compactMap(IPNetwork.init)

    /// Whether the client's address is a loopback address (parsed, not matched as text).
    static func isLoopback(_ address: String) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return loopback.contains { $0.contains(address) }
    }
}
