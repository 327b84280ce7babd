import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing, off the event loops.
struct Passwords: Sendable {
    /// bcrypt cost; 10 takes about 60 ms here. Tests use the minimum, 4.
    var cost: UInt8

    /// Shortest password accepted.
    static let minimumLength = 10

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
