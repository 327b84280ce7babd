import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import TierdeskCore

/// Sends one message per connection to an SMTP server (RFC 5321): EHLO, STARTTLS when offered or
/// required, AUTH PLAIN when credentials are configured, then MAIL, RCPT, DATA and QUIT. Replies in the
/// 4xx range and network errors are temporary failures; 5xx replies are permanent.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration

    /// Longest wait for one reply.
    static let replyTimeout: TimeAmount = .seconds(30)

    func send(from: String, to recipients: [String], message: [UInt8]) async throws(DeliveryFailure) {
        do {
            try await deliver(from: from, to: recipients, message: message)
        } catch let failure as DeliveryFailure {
            throw failure
        } catch {
            throw .temporary("SMTP \(configuration.host):\(configuration.port): \(error)")
        }
    }

    private func deliver(from: String, to recipients: [String], message: [UInt8]) async throws {
        let replies = SMTPReplyHandler()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(replies)
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        let session = SMTPSession(channel: channel, replies: replies)
        do {
            try await session.expect(String?.none, 220)
            let capabilities = try await session.expect("EHLO \(configuration.heloName)", 250).lines
            let offersTLS = capabilities.contains { $0.uppercased().hasPrefix("STARTTLS") }
            var encrypted = false
            if configuration.tls == .required || (configuration.tls == .opportunistic && offersTLS) {
                guard let context = configuration.tlsContext else {
                    throw DeliveryFailure.permanent("STARTTLS is off for \(configuration.host)")
                }
                try await session.expect("STARTTLS", 220)
                let hostname = configuration.host.first?.isNumber == true ? nil : configuration.host
                try await channel.eventLoop
                    .submit {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: hostname),
                            position: .first
                        )
                    }
                    .get()
                encrypted = true
                try await session.expect("EHLO \(configuration.heloName)", 250)
            }
            if let username = configuration.username {
                guard encrypted || configuration.isLoopback else {
                    throw DeliveryFailure.permanent(
                        "SMTP authentication is only sent over TLS; enable STARTTLS for \(configuration.host)."
                    )
                }
                let secret = Data(([0] + Array(username.utf8) + [0] + Array((configuration.password ?? "").utf8)))
                    .base64EncodedString()
                try await session.expect("AUTH PLAIN \(secret)", 235, redacted: "AUTH PLAIN …")
            }
            try await session.expect("MAIL FROM:<\(from)>", 250)
            for recipient in recipients { try await session.expect("RCPT TO:<\(recipient)>", 250, 251) }
            try await session.expect("DATA", 354)
            try await session.expect(bytes: Self.dotStuffed(message), 250)
            _ = try? await session.expect("QUIT", 221)
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// The message with every line that starts with a dot doubled, CRLF line ends, and the final `.` line.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var lineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { output.append(UInt8(ascii: "\r")) }
            if lineStart, byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            lineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !lineStart { output += [13, 10] }
        output += Array(".\r\n".utf8)
        return output
    }
}

/// One SMTP reply: its code and its text lines.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
}

/// Splits the server's bytes into replies; multi-line replies (`250-…`) end with a line `250 …`.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw DeliveryFailure.temporary("SMTP reply line longer than 4 KiB") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        var line = buffer.readString(length: length) ?? ""
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        guard line.count >= 3, let code = Int(line.prefix(3)) else {
            throw DeliveryFailure.temporary("unreadable SMTP reply: \(line.prefix(80))")
        }
        let separator = line.dropFirst(3).first
        lines.append(String(line.dropFirst(4)))
        if separator == "-" { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: lines)))
        lines = []
        return .continue
    }
}

/// Hands replies to the waiting sender, in order; replies that arrive before anyone waits are kept.
final class SMTPReplyHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = SMTPReply

    private struct State {
        var waiting: [EventLoopPromise<SMTPReply>] = []
        var arrived: [SMTPReply] = []
        var failure: (any Error)?
    }

    private let state = NIOLockedValueBox(State())

    func wait(_ promise: EventLoopPromise<SMTPReply>) {
        let ready: Result<SMTPReply, any Error>? = state.withLockedValue { state in
            if !state.arrived.isEmpty { return .success(state.arrived.removeFirst()) }
            if let failure = state.failure { return .failure(failure) }
            state.waiting.append(promise)
            return nil
        }
        if let ready { promise.completeWith(ready) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        let waiter: EventLoopPromise<SMTPReply>? = state.withLockedValue { state in
            if state.waiting.isEmpty {
                state.arrived.append(reply)
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(DeliveryFailure.temporary("the SMTP server closed the connection"))
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        let waiters = state.withLockedValue { state in
            if state.failure == nil { state.failure = error }
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiters { waiter.fail(error) }
    }
}

/// The command–reply exchange over one connection.
struct SMTPSession {
    let channel: any NIOCore.Channel
    let replies: SMTPReplyHandler

    @discardableResult
    func expect(_ command: String?, _ codes: Int..., redacted: String? = nil) async throws -> SMTPReply {
        try await exchange(command.map { Array(($0 + "\r\n").utf8) }, codes, shown: redacted ?? command ?? "greeting")
    }

    @discardableResult
    func expect(bytes: [UInt8], _ codes: Int...) async throws -> SMTPReply {
        try await exchange(bytes, codes, shown: "message data")
    }

    private func exchange(_ bytes: [UInt8]?, _ codes: [Int], shown: String) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let timeout = channel.eventLoop.scheduleTask(in: SMTPClient.replyTimeout) {
            promise.fail(DeliveryFailure.temporary("no SMTP reply to \(shown) within 30 s"))
        }
        replies.wait(promise)
        if let bytes { try await channel.writeAndFlush(ByteBuffer(bytes: bytes)) }
        defer { timeout.cancel() }
        let reply = try await promise.futureResult.get()
        guard codes.contains(reply.code) else {
            let text =
                "SMTP \(shown.prefix(60)) answered \(reply.code) \(reply.lines.joined(separator: " ").prefix(300))"
            throw (500..<600).contains(reply.code) ? DeliveryFailure.permanent(text) : DeliveryFailure.temporary(text)
        }
        return reply
    }
}
