import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sends log records to systemd's journal as structured entries over its native protocol (a datagram per
/// record to `/run/systemd/journal/socket`): `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, the code location,
/// and each metadata value as a field of its own (`ticket` becomes `TIERDESK_TICKET`), so
/// `journalctl -u tierdesk TIERDESK_TICKET=…` finds a ticket's records. `tierdesk` uses it when systemd
/// started it with its output in the journal (`JOURNAL_STREAM`); a record that cannot be sent is dropped.
public struct JournalLogHandler: LogHandler {
    /// systemd's socket for native journal entries.
    public static let defaultSocket = "/run/systemd/journal/socket"
    /// Longest message sent; the journal's datagrams hold a few hundred kilobytes.
    static let maxMessage = 48 * 1024

    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let socket: JournalSocket

    /// - Parameters:
    ///   - label: the logger's label, sent as `SYSLOG_IDENTIFIER`.
    ///   - socketPath: the journal's socket.
    public init(label: String, socketPath: String = Self.defaultSocket) {
        self.label = label
        socket = JournalSocket(path: socketPath)
    }

    /// Whether this process's output goes to the journal and its socket is there.
    public static func journalIsAvailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["JOURNAL_STREAM"] != nil && FileManager.default.fileExists(atPath: defaultSocket)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata explicit: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        var fields: [(String, String)] = [
            ("MESSAGE", String(message.description.prefix(Self.maxMessage))),
            ("PRIORITY", String(Self.priority(level))),
            ("SYSLOG_IDENTIFIER", label),
            ("CODE_FILE", file),
            ("CODE_LINE", String(line)),
            ("CODE_FUNC", function),
            ("TIERDESK_SOURCE", source),
        ]
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append(("TIERDESK_" + Self.fieldName(key), String(value.description.prefix(Self.maxMessage))))
        }
        socket.send(Self.entry(fields))
    }

    /// syslog's priorities, as the journal keeps them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A journal field name: upper-case letters, digits and underscores, at most 64 characters in all.
    static func fieldName(_ key: String) -> String {
        let name = String(
            key.uppercased().unicodeScalars
                .map { scalar -> Character in
                    (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) ? Character(scalar) : "_"
                }
        )
        return String(name.prefix(64 - "TIERDESK_".count))
    }

    /// The native protocol's datagram: `NAME=value` lines, or, for a value with a line break,
    /// the name, a line break, the value's length as 64-bit little-endian, the value and a line break.
    static func entry(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            bytes += Array(name.utf8)
            let data = Array(value.utf8)
            if data.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(data.count).littleEndian) { bytes += $0 }
            } else {
                bytes.append(UInt8(ascii: "="))
            }
            bytes += data
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}

/// One datagram socket to the journal, shared by the handler's copies.
final class JournalSocket: Sendable {
    private let path: String
    private let descriptor: Mutex<Int32>

    init(path: String) {
        self.path = path
        #if canImport(Glibc)
        descriptor = Mutex(Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        #else
        descriptor = Mutex(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0))
        #endif
    }

    deinit {
        descriptor.withLock { if $0 >= 0 { _ = close($0) } }
    }

    func send(_ bytes: [UInt8]) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { buffer in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
        }
    }
}
