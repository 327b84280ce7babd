import Crypto
import Foundation

/// The signed links in pages: `…/pages/<id>/acknowledge?person=<id>&signature=<hex HMAC-SHA256>`. The
/// key is this installation's own and never leaves it, so a link can be neither forged nor moved to
/// another page or person.
struct PageLinks: Sendable {
    let key: String
    /// Where Tierdesk is reached, without a trailing slash.
    let baseURL: String

    func acknowledgeURL(page: UUID, person: UUID) -> String {
        "\(baseURL)/pages/\(page.uuidString.lowercased())/acknowledge?person=\(person.uuidString.lowercased())&signature=\(signature(page: page, person: person))"
    }

    func signature(page: UUID, person: UUID) -> String {
        let message = Data("acknowledge:\(page.uuidString.lowercased()):\(person.uuidString.lowercased())".utf8)
        return HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(key.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    func verify(page: UUID, person: UUID, signature: String) -> Bool {
        Secrets.constantTimeEqual(self.signature(page: page, person: person), signature.lowercased())
    }
}
