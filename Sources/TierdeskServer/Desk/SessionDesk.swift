import Foundation
import TierdeskCore
import TierdeskStore

/// Signing in and out, and who a token or a session cookie belongs to; the web pages and the
/// authentication middleware use it, so throttling and session rules exist once.
struct SessionDesk: Sendable {
    let clock: any Clock
    let passwords: Passwords
    let directory: DirectoryRepository
    let credentials: CredentialRepository
    let identities: TokenCache<Person>
    /// A hash of a random secret, checked when an e-mail is unknown so that timing does not reveal accounts.
    let unknownAccountHash: String

    /// A session lasts twelve hours.
    static let sessionLifetime: TimeInterval = 12 * 3600
    /// Failed logins are counted over fifteen minutes…
    static let throttleWindow: TimeInterval = 15 * 60
    /// …and more than this many for one account, or four times as many from one address, lock logins out.
    static let maxFailuresPerAccount = 5

    /// Why a login was refused.
    enum Refusal: Error, Equatable {
        case throttled
        case wrongCredentials
    }

    /// A new session: the cookie's token (stored only as a hash) and who it belongs to.
    struct NewSession: Sendable {
        var token: String
        var person: Person
    }

    /// Checks a password and opens a session. Each attempt is counted before its password is checked,
    /// atomically and in the database, so guesses sent at once (or to several instances) cannot all slip
    /// under the limit; a success clears the account's count and gives the address its attempt back.
    func logIn(email rawEmail: String, password rawPassword: String, from address: String) async throws -> NewSession {
        let now = clock.now()
        let email = Person.normalisedEmail(String(rawEmail.prefix(254)))
        let accountKey = "account:" + email
        let addressKey = "address:" + address
        let accountAttempts = try await credentials.countAttempt(key: accountKey, window: Self.throttleWindow, at: now)
        let addressAttempts = try await credentials.countAttempt(key: addressKey, window: Self.throttleWindow, at: now)
        if accountAttempts > Self.maxFailuresPerAccount || addressAttempts > Self.maxFailuresPerAccount * 4 {
            throw Refusal.throttled
        }
        let found = try await directory.credentials(email: email)
        // Without a stored hash the random one is checked, so the answer takes as long and is always no.
        let valid = try await passwords.verify(String(rawPassword.prefix(1024)), hash: found?.1 ?? unknownAccountHash)
        guard valid, let (person, _) = found, person.active else { throw Refusal.wrongCredentials }
        try await credentials.clearFailures(key: accountKey)
        try await credentials.releaseAttempt(key: addressKey)
        let token = Secrets.token()
        try await credentials.createSession(
            tokenHash: Secrets.hash(token),
            personID: person.id,
            csrfToken: Secrets.token(),
            at: now,
            expiresAt: now.addingTimeInterval(Self.sessionLifetime)
        )
        return NewSession(token: token, person: person)
    }

    /// Ends the session whose token hashes to `tokenHash`.
    func logOut(tokenHash: String) async throws {
        try await credentials.deleteSession(tokenHash: tokenHash)
    }

    /// The live session of a cookie's token, with its CSRF token.
    func session(cookie token: String) async throws -> (person: Person, tokenHash: String, csrfToken: String)? {
        let hash = Secrets.hash(token)
        guard let session = try await credentials.session(tokenHash: hash, at: clock.now()) else { return nil }
        return (session.person, hash, session.csrfToken)
    }

    /// The person an API token belongs to, or nil when it is unknown, expired or revoked.
    func person(apiToken token: String) async throws -> Person? {
        let hash = Secrets.hash(token)
        let now = clock.now()
        if let person = identities.value(tokenHash: hash, at: now) { return person }
        guard let owner = try await credentials.tokenOwner(tokenHash: hash, at: now) else { return nil }
        identities.remember(tokenHash: hash, tokenID: owner.tokenID, value: owner.person, at: now)
        return owner.person
    }
}
