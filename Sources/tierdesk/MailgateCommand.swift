import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import TierdeskServer

/// The mail gateway for an MTA pipe (as Request Tracker's `rt-mailgate`): reads one message on standard
/// input and posts it to Tierdesk. The exit code tells the MTA what to do: 0 delivered, 75 (EX_TEMPFAIL)
/// try again later, 65 (EX_DATAERR) or 77 (EX_NOPERM) bounce with the reason printed on standard error.
struct MailgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailgate",
        abstract: "Hand one RFC 5322 message from standard input to a Tierdesk server.",
        discussion: """
            Exit codes: 0 delivered (or a repeat of a delivered message); 75 temporary failure, the MTA keeps \
            the message and retries; 65 the message was refused, the MTA bounces it; 77 the token was refused.
            Postfix example (master.cf): tierdesk unix - n n - - pipe flags=Rq user=tierdesk argv=/usr/local/bin/tierdesk mailgate --url https://desk.example.com
            """
    )

    @Option(help: "Tierdesk's base URL, such as https://desk.example.com.") var url: String
    @Option(help: "The mailgate integration token (default: TIERDESK_MAILGATE_TOKEN).") var token: String?
    @Option(help: "Seconds to wait for the server.") var timeout: Double = 60

    static let temporaryFailure: Int32 = 75
    static let dataError: Int32 = 65
    static let notPermitted: Int32 = 77

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["TIERDESK_MAILGATE_TOKEN"], !token.isEmpty else {
            complain("mailgate: give --token or set TIERDESK_MAILGATE_TOKEN")
            throw ExitCode(Self.temporaryFailure)
        }
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https",
            let endpoint = URL(
                string: "api/v1/mail/inbound",
                relativeTo: base.absoluteString.hasSuffix("/") ? base : base.appendingPathComponent("")
            )
        else {
            complain("mailgate: --url must be an http or https URL")
            throw ExitCode(Self.temporaryFailure)
        }
        let message = FileHandle.standardInput.readDataToEndOfFile()
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "message/rfc822")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: message))
        let status: Int
        let data: Data
        let client = HTTPClient(configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(response.status.code)
            data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            complain("mailgate: Tierdesk did not answer (\(error)); the message stays with the mail server")
            throw ExitCode(Self.temporaryFailure)
        }
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        switch status {
        case 200..<300:
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        case 401, 403:
            complain("mailgate: refused (\(status)): \(Self.detail(text))")
            throw ExitCode(status == 401 ? Self.notPermitted : Self.dataError)
        case 408, 429, 500..<600:
            complain(
                "mailgate: Tierdesk failed (\(status)): \(Self.detail(text)); the message stays with the mail server"
            )
            throw ExitCode(Self.temporaryFailure)
        default:
            complain("mailgate: refused (\(status)): \(Self.detail(text))")
            throw ExitCode(Self.dataError)
        }
    }

    /// The `detail` of a problem+json answer, else the answer itself.
    static func detail(_ text: String) -> String {
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            var parts = [object["detail"] as? String ?? object["title"] as? String ?? text]
            if let errors = object["errors"] as? [[String: Any]] {
                parts += errors.map { "\($0["field"] ?? ""): \($0["message"] ?? "")" }
            }
            return parts.joined(separator: "; ")
        }
        return text
    }

    private func complain(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

struct IntegrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integration",
        abstract: "Manage integration tokens (mail gateway, monitoring).",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an integration and print its token on standard output."
        )

        @Option(help: "mailgate, alertmanager, grafana or events.") var kind: String
        @Option(help: "A name to recognise it by.") var name: String

        func run() async throws {
            try await Startup.withComponents { components in
                say(try await CommandLineDirectory(components).addIntegration(kind: kind, name: name))
            }
        }
    }
}
