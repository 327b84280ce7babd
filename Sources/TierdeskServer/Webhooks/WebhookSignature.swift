import Foundation

/// The signature of a webhook body: `X-Tierdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
/// `<t>.<body>` with the subscription's secret. Receivers recompute it, compare in constant time, and
/// refuse old time stamps, so a captured delivery cannot be replayed later.
enum WebhookSignature {
    static let header = "X-Tierdesk-Signature"

    static func value(body: Data, secret: String, at now: Date) -> String {
        let stamp = Int(now.timeIntervalSince1970)
        return "t=\(stamp),v1=\(mac(body: body, secret: secret, stamp: stamp))"
    }

    static func mac(body: Data, secret: String, stamp: Int) -> String {
        var signed = Data("\(stamp).".utf8)
        signed.append(body)
        return Secrets.hmac(signed, key: secret)
    }
}
