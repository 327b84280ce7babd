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
        Secrets.hmac(
            Data("acknowledge:\(page.uuidString.lowercased()):\(person.uuidString.lowercased())".utf8),
            key: key
        )
    }

    func verify(page: UUID, person: UUID, signature: String) -> Bool {
        Secrets.constantTimeEqual(self.signature(page: page, person: person), signature.lowercased())
    }
}
