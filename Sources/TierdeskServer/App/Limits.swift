/// Request size limits enforced by the server.
enum Limits {
    /// Largest attachment, in bytes (10 MiB).
    static let attachmentBytes = 10 * 1024 * 1024
    /// Largest JSON or form body, in bytes: a 1 MiB text escaped as JSON fits.
    static let jsonBytes = 8 * 1024 * 1024
    /// Largest incoming mail, in bytes (25 MiB, as most mail servers allow).
    static let mailBytes = 25 * 1024 * 1024
    /// Most files kept from one mail.
    static let mailAttachments = 20
    /// Longest attachment file name, in characters.
    static let filenameCharacters = 255
}
