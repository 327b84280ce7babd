import Hummingbird
import NIOCore

extension Request {
    /// The whole body, at most `limit` bytes; a larger one is a 413 problem that says `tooLarge`. Other
    /// failures (a client that hangs up) are thrown as they are.
    func collectBody(upTo limit: Int, tooLarge: @autoclosure () -> String) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, tooLarge())
        }
    }
}
