import ArgumentParser
import Foundation
import TierdeskCore

/// Measures parsing of 50 KB multipart mails: a quoted-printable text part and an HTML alternative in
/// ISO-8859-1, and a base64 attachment, as mail clients send them.
struct MailBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Measure 50 KB multipart mails parsed per second, on one core."
    )

    @Option(help: "Messages to parse.") var messages = 20_000

    func run() async throws {
        let raw = Self.message()
        // Warm up, and check the message reads as intended.
        let parsed = try MailMessage.parse(raw)
        guard parsed.attachments.count == 1, parsed.text?.contains("Förderband") == true else {
            throw ValidationError("the benchmark message did not parse as expected")
        }
        let start = ContinuousClock.now
        var characters = 0
        for _ in 0..<messages {
            characters &+= try MailMessage.parse(raw).text?.utf8.count ?? 0
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print(
            String(
                format: "mail: %d messages of %.1f KB parsed in %.2f s: %.0f messages/s on one core (target ≥ 2,000/s)",
                messages,
                Double(raw.count) / 1024,
                seconds,
                Double(messages) / seconds
            )
        )
        if characters == 0 { print("(no text)") }
    }

    /// A 50 KB message: multipart/mixed of multipart/alternative (QP text, QP HTML) and a base64 PDF-sized file.
    static func message() -> [UInt8] {
        var generator = SplitMix64(seed: 7)
        let words = [
            "Förderband", "Linie", "steht", "seit", "Schicht", "Scanner", "Größe", "Störung", "bitte", "prüfen",
            "Lager", "Etikett", "Drucker", "Auftrag", "Rückmeldung",
        ]
        let text = (0..<1_100).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        func quotedPrintable(_ string: String) -> String {
            var lines: [String] = []
            var line = ""
            for byte in string.data(using: .isoLatin1)! {
                let piece =
                    (byte >= 33 && byte <= 126 && byte != 61) || byte == 32
                    ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                if line.count + piece.count > 75 {
                    lines.append(line + "=")
                    line = ""
                }
                line += piece
            }
            lines.append(line)
            return lines.joined(separator: "\r\n")
        }
        let attachment = Data((0..<22_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let message = """
            From: =?iso-8859-1?q?J=FCrgen_Gro=DF?= <juergen@kessler.example>\r
            To: support@desk.example\r
            Subject: =?iso-8859-1?q?St=F6rung_F=F6rderband_Linie_3?=\r
            Message-ID: <bench-1@kessler.example>\r
            Date: Sun, 22 Nov 2026 09:00:00 +0100\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="outer"\r
            \r
            --outer\r
            Content-Type: multipart/alternative; boundary="inner"\r
            \r
            --inner\r
            Content-Type: text/plain; charset=iso-8859-1\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            \(quotedPrintable(text))\r
            --inner\r
            Content-Type: text/html; charset=iso-8859-1\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            \(quotedPrintable("<html><body><p>" + text + "</p></body></html>"))\r
            --inner--\r
            --outer\r
            Content-Type: application/pdf; name="Fehlerprotokoll.pdf"\r
            Content-Disposition: attachment; filename*=iso-8859-1''Fehlerprotokoll%20Linie%203.pdf\r
            Content-Transfer-Encoding: base64\r
            \r
            \(attachment)\r
            --outer--\r

            """
        return Array(message.utf8)
    }
}
