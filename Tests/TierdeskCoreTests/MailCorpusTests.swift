import Foundation
import Testing

@testable import TierdeskCore

/// Real-world messages from a peer helpdesk's test suite, read from the shared corpus at run time.
@Suite struct MailCorpusTests {
    struct Entry: Decodable {
        var name: String
        var box: String
        var from_email: String?
        var subject: String?
        var attachments: [String]
        var notes: [String]
    }

    static let corpus: URL = {
        if let path = ProcessInfo.processInfo.environment["TIERDESK_MAIL_CORPUS"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("../shared/corpora/zammad-mail").standardizedFileURL
    }()

    static let available = FileManager.default.fileExists(atPath: corpus.appendingPathComponent("manifest.json").path)

    static func entries() throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(contentsOf: corpus.appendingPathComponent("manifest.json")))
    }

    /// Where the peer's expectation and this parser part ways, and why. Everything else must match.
    static let knownDifferences: [String: String] = [
        "mail031": "GBK subject: this Foundation has no GBK/GB18030 decoder yet, so it reads as Windows-1252",
        "mail046": "GBK subject, as mail031",
        "mail119": "GB2312 subject (Cyrillic inside GB2312), as mail031",
        "mail093": "raw Shift_JIS bytes in the subject without a declared charset; no charset guessing yet",
        "mail055": "the attached message has no subject; the peer names it after the report's subject",
        "mail078": "the peer names the delivery status part delivery-status.txt, here Delivery report.txt",
        "mail071": "a multipart without any part: the peer keeps it as a file, here it is the (empty) text",
        "mail105": "a multipart whose boundary never appears: the peer keeps it as a file, here it is the text",
        "mail087":
            "a From header without angle brackets (Test test@example.com): here the address is test@example.com; the peer keeps the whole text",
        "mail076": "a From header with unbalanced quotes and brackets; the peer keeps the raw text",
        "mail089": "the peer drops the colon from the subject; the raw header has it",
        "mail117": "an encoded word inside an address, which RFC 2047 forbids; it stays undecoded here",
    ]

    @Test(.enabled(if: available, "the shared mail corpus is not on this machine"))
    func everyMessageParsesWithItsSubjectSenderAndAttachments() throws {
        var report: [String] = []
        for entry in try Self.entries() {
            let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(entry.box)))
            let message: MailMessage
            do {
                message = try MailMessage.parse(bytes)
            } catch {
                report.append("\(entry.name): refused: \(error)")
                continue
            }
            if let subject = entry.subject, message.subject.trimmingWhitespace() != subject.trimmingWhitespace() {
                report.append(
                    "\(entry.name): subject \(message.subject.debugDescription) != \(subject.debugDescription)"
                )
            }
            if let from = entry.from_email, message.from?.address.lowercased() != from.lowercased() {
                report.append("\(entry.name): from \(message.from?.address ?? "nil") != \(from)")
            }
            let expected = entry.attachments.filter { $0 != "message.html" }.sorted()
            let found = message.attachments.map(\.filename).sorted()
            if !expected.allSatisfy(found.contains) {
                report.append("\(entry.name): attachments \(found) lack \(expected)")
            }
            if message.text == nil, message.html == nil, message.attachments.isEmpty {
                report.append("\(entry.name): no body at all")
            }
        }
        let unexpected = report.filter { line in !Self.knownDifferences.keys.contains { line.hasPrefix($0 + ":") } }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
    }

    @Test func encodingsDecode() throws {
        #expect(
            TransferEncodings.decodeHeader(
                Array("=?iso-8859-1?Q?Gr=FC=DFe_aus?= =?utf-8?B?TcO8bmNoZW4=?= [TD-1042]".utf8)
            ) == "Grüße ausMünchen [TD-1042]"
        )
        #expect(TransferEncodings.decodeHeader(Array("=?broken".utf8)) == "=?broken")
        #expect(
            String(decoding: TransferEncodings.quotedPrintable(Array("caf=C3=A9 =\nsoft=3D".utf8)), as: UTF8.self)
                == "café soft="
        )
        #expect(String(decoding: TransferEncodings.base64(Array("aGVs\r\nbG8=".utf8)), as: UTF8.self) == "hello")
        let (type, parameters) = HeaderParameters.parse(
            #"attachment; filename*0*=UTF-8''na%C3%AF; filename*1*=ve%20plan.txt; size=3"#
        )
        #expect(type == "attachment" && parameters["filename"] == "naïve plan.txt" && parameters["size"] == "3")
        #expect(
            Charsets.decode([0x80, 0x41], charset: "windows-1252") == "€A"
                && Charsets.decode([0xA4], charset: "iso-8859-15") == "€"
        )
        #expect(Charsets.decode([0xFF, 0x41], charset: "utf-8") == "\u{FFFD}A")
    }

    @Test func aMultipartMessageGivesTextHTMLAndAttachments() throws {
        let raw = [
            "From: \"Smith, Jo\" <jo@example.com>", "To: desk@example.com, \"Ops\" <ops@example.com>",
            "Subject: =?utf-8?Q?Scanner_friert_ein?= [TD-7]",
            "Message-ID: <a1@example.com>", "In-Reply-To: <td-7@desk.example>", "References: <td-7@desk.example> <x@y>",
            "Content-Type: multipart/mixed; boundary=outer", "", "preamble", "--outer",
            "Content-Type: multipart/alternative; boundary=\"inner\"", "", "--inner",
            "Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable", "", "Gr=FC=DFe", "--inner", "Content-Type: text/html", "",
            "<p>Gr&uuml;&szlig;e</p>", "--inner--",
            "--outer", "Content-Type: application/pdf; name=\"../../etc/report.pdf\"",
            "Content-Disposition: attachment", "Content-Transfer-Encoding: base64", "", "JVBERg==",
            "--outer--", "epilogue",
        ]
        .joined(separator: "\r\n")
        let message = try MailMessage.parse(Array(raw.utf8))
        #expect(message.subject == "Scanner friert ein [TD-7]")
        #expect(message.from == MailAddress(name: "Smith, Jo", address: "jo@example.com"))
        #expect(message.to.map(\.address) == ["desk@example.com", "ops@example.com"])
        #expect(
            message.messageID == "a1@example.com" && message.inReplyTo == ["td-7@desk.example"]
                && message.references == ["td-7@desk.example", "x@y"]
        )
        #expect(message.text == "Grüße" && message.html == "<p>Gr&uuml;&szlig;e</p>")
        #expect(
            message.attachments.map(\.filename) == ["report.pdf"] && message.attachments[0].data == Array("%PDF".utf8)
        )
        #expect(
            HTMLText.plain("<style>x</style><p>One &amp; two</p><script>alert(1)</script><div>three</div>")
                == "One & two\n\nthree"
        )
        var tight = MailMessage.Limits()
        tight.bytes = 100
        #expect(throws: MailError.self) { _ = try MailMessage.parse(Array(raw.utf8), limits: tight) }
    }
}
