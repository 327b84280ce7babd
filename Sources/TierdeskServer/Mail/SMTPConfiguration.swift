import Foundation
import NIOSSL
import TierdeskCore

/// Where outgoing mail goes, read from a URL such as
/// `smtp://user:secret@mail.example.com:587?starttls=required&ca=/etc/ssl/mail-ca.pem`.
public struct SMTPConfiguration: Sendable {
    /// When to switch to TLS with STARTTLS.
    public enum TLSMode: String, Sendable {
        /// Always; a server without STARTTLS gets no mail.
        case required
        /// When the server offers it (the default).
        case opportunistic
        /// Never (loopback relays).
        case off
    }

    public var host: String
    public var port: Int
    public var tls: TLSMode
    public var username: String?
    public var password: String?
    /// PEM file of the certificate authority to trust instead of the system's.
    public var caFile: String?
    /// The TLS context of STARTTLS (nil when it is off), made once when the configuration is read with the
    /// system's trust roots or the `ca` file's, so a wrong path stops the start and no message builds its own.
    let tlsContext: NIOSSLContext?
    /// The name sent with EHLO.
    public var heloName: String

    /// Reads an `smtp://` URL; the error names what is wrong.
    public init(url text: String, heloName: String = "tierdesk.localdomain") throws(ValidationFailure) {
        guard let components = URLComponents(string: text), components.scheme == "smtp", let host = components.host,
            !host.isEmpty
        else {
            throw ValidationFailure(
                field: "smtpUrl",
                message: "must look like smtp://[user:password@]host[:port][?starttls=required|opportunistic|off]"
            )
        }
        self.host = host
        port = components.port ?? 25
        username = components.user.flatMap { $0.removingPercentEncoding }
        password = components.password.flatMap { $0.removingPercentEncoding }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        guard let mode = TLSMode(rawValue: query["starttls"] ?? "opportunistic") else {
            throw ValidationFailure(field: "smtpUrl", message: "starttls must be required, opportunistic or off")
        }
        tls = mode
        caFile = query["ca"].flatMap { $0.isEmpty ? nil : $0 }
        var settings = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw ValidationFailure(
                    field: "smtpUrl",
                    message: "ca=\(caFile.prefix(200)) is not a readable PEM file of certificates (\(error))"
                )
            }
        }
        do {
            tlsContext = mode == .off ? nil : try NIOSSLContext(configuration: settings)
        } catch {
            throw ValidationFailure(field: "smtpUrl", message: "TLS cannot be set up for STARTTLS (\(error))")
        }
        self.heloName = heloName
    }

    var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Outgoing mail: the desk's identity and its SMTP relay.
public struct MailConfiguration: Sendable {
    public var identity: DeskMailIdentity
    public var smtp: SMTPConfiguration

    public init(identity: DeskMailIdentity, smtp: SMTPConfiguration) {
        self.identity = identity
        self.smtp = smtp
    }
}
