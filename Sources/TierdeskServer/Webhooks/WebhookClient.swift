import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOPosix
import TierdeskCore

/// Posts one webhook or HTTP page: refuses private targets unless the subscription allows them (checking every
/// address the host resolves to), follows no redirects, signs the body, and sorts the answer into
/// delivered, try again later, or give up.
struct WebhookClient: Sendable {
    static let timeout: TimeInterval = 10

    func post(url: String, body: Data, key: String, secret: String, allowPrivateTargets: Bool, at now: Date) async throws(DeliveryFailure) {
        let target: WebhookTarget
        do { target = try WebhookTarget(url) } catch { throw .permanent("the URL is not valid: \(error.message)") }
        if !allowPrivateTargets {
            if target.isPrivateLiteral { throw .permanent("\(target.host) is a private address; the subscription does not allow private targets") }
            // getaddrinfo blocks; it runs on NIO's thread pool, not on the threads that serve requests.
            let host = target.host
            let addresses: [IPAddress]
            do { addresses = try await NIOThreadPool.singleton.runIfActive { Self.resolve(host) } } catch { throw .temporary("\(host) could not be resolved: \(error)") }
            if addresses.isEmpty { throw .temporary("\(target.host) does not resolve") }
            if let inside = addresses.first(where: WebhookTarget.isPrivate) {
                throw .permanent("\(target.host) resolves to the private address \(inside); the subscription does not allow private targets")
            }
        }
        var request = URLRequest(url: target.url, timeoutInterval: Self.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Tierdesk-Webhooks/1", forHTTPHeaderField: "User-Agent")
        request.setValue(key, forHTTPHeaderField: "X-Tierdesk-Delivery")
        request.setValue(WebhookSignature.value(body: body, secret: secret, at: now), forHTTPHeaderField: WebhookSignature.header)
        let response: URLResponse
        do {
            response = try await Self.send(request)
        } catch {
            throw .temporary("\(target.host): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw .temporary("\(target.host) gave no HTTP answer") }
        switch http.statusCode {
        case 200..<300: return
        case 300..<400: throw .permanent("\(target.host) answered \(http.statusCode); redirects are not followed")
        case 408, 429, 500...: throw .temporary("\(target.host) answered \(http.statusCode)")
        default: throw .permanent("\(target.host) answered \(http.statusCode)")
        }
    }

    /// Sends a request and waits for the answer. `URLSession.data(for:)` of FoundationNetworking can
    /// deadlock when its task is cancelled (at shutdown) just as the transfer completes: the cancellation
    /// handler runs under the task's lock and waits for the session, which is resuming that task. So the
    /// transfer is cancelled from another queue.
    private static func send(_ request: URLRequest) async throws -> URLResponse {
        let transfer = Transfer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<URLResponse, any Error>) in
                let task = session.dataTask(with: request) { _, response, error in
                    if let error { continuation.resume(throwing: error) } else if let response { continuation.resume(returning: response) } else { continuation.resume(throwing: URLError(.badServerResponse)) }
                }
                transfer.start(task)
            }
        } onCancel: {
            DispatchQueue.global().async { transfer.cancel() }
        }
    }

    /// A transfer that may be cancelled before or after it starts.
    private final class Transfer: @unchecked Sendable {
        private let lock = NSLock()
        private var task: URLSessionDataTask?
        private var cancelled = false

        func start(_ task: URLSessionDataTask) {
            let cancelled = lock.withLock { self.task = task; return self.cancelled }
            task.resume()
            if cancelled { task.cancel() }
        }

        func cancel() {
            let task = lock.withLock { cancelled = true; return self.task }
            task?.cancel()
        }
    }

    /// One session for every delivery; it follows no redirects, so a public URL cannot bounce into a private one.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
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
                    let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
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
