import Foundation
import Logging
import Testing

@testable import TierdeskServer

#if canImport(Glibc)
import Glibc
#endif

/// Structured journal entries, received on a datagram socket of the test's own as journald would.
struct JournalLogHandlerTests {
    @Test func aRecordArrivesAsFieldsWithItsMetadata() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("socket").path
        let receiver = try Self.bind(path)
        defer { close(receiver) }

        var logger = Logger(label: "tierdesk") { JournalLogHandler(label: $0, socketPath: path) }
        logger.logLevel = .info
        logger[metadataKey: "instance"] = "a"
        logger.debug("not sent")
        logger.warning(
            "SLA breach",
            metadata: [
                "ticket": "TD-1042", "due": "2026-12-05T10:00:00Z", "detail": "line one\nline two", "ünï-code": "x",
            ]
        )

        let fields = try Self.fields(Self.receive(receiver))
        #expect(fields["MESSAGE"] == "SLA breach")
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["SYSLOG_IDENTIFIER"] == "tierdesk")
        #expect(fields["TIERDESK_TICKET"] == "TD-1042" && fields["TIERDESK_DUE"] == "2026-12-05T10:00:00Z")
        #expect(fields["TIERDESK_DETAIL"] == "line one\nline two")
        #expect(fields["TIERDESK_INSTANCE"] == "a")
        #expect(fields["TIERDESK__N__CODE"] == "x")
        #expect(fields["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true)
    }

    static func bind(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(fd >= 0 && bound == 0)
        return fd
    }

    /// The one datagram waiting (the handler sends synchronously, so it is there already).
    static func receive(_ fd: Int32) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        try #require(count > 0)
        return Array(buffer[0..<count])
    }

    /// Parses the native protocol: `NAME=value\n`, or `NAME\n` + 64-bit little-endian length + value + `\n`.
    static func fields(_ bytes: [UInt8]) throws -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            let end = try #require(bytes[index...].firstIndex { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") })
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                let stop = try #require(bytes[end...].firstIndex(of: UInt8(ascii: "\n")))
                fields[name] = String(decoding: bytes[(end + 1)..<stop], as: UTF8.self)
                index = stop + 1
            } else {
                var length: UInt64 = 0
                for (shift, byte) in bytes[(end + 1)..<(end + 9)].enumerated() { length |= UInt64(byte) << (8 * shift) }
                let start = end + 9
                fields[name] = String(decoding: bytes[start..<(start + Int(length))], as: UTF8.self)
                index = start + Int(length) + 1
            }
        }
        return fields
    }
}
