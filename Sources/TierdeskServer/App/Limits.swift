/// Request size limits enforced by the server.
enum Limits {
    /// Largest attachment, in bytes (10 MiB).
    static let attachmentBytes = 10 * 1024 * 1024
    /// Largest JSON or form body, in bytes: a 1 MiB text escaped as JSON fits.
    static let jsonBytes = 8 * 1024 * 1024
    /// Longest attachment file name, in characters.
    static let filenameCharacters = 255
}
