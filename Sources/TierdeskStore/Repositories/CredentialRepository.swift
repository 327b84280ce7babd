import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// An API token's description (never its secret).
public struct APITokenInfo: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var personID: UUID
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// A live browser session.
public struct SessionInfo: Sendable, Equatable {
    public var id: UUID
    public var person: Person
    public var csrfToken: String
    public var expiresAt: Date
}

/// Login sessions, API tokens and login throttling. Secrets are stored only as hashes.
public struct CredentialRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    // MARK: Sessions

    public func createSession(tokenHash: String, personID: UUID, csrfToken: String, at now: Date, expiresAt: Date)
        async throws
    {
        let model = SessionModel()
        model.id = UUID()
        model.tokenHash = tokenHash
        model.personID = personID
        model.csrfToken = csrfToken
        model.createdAt = now
        model.expiresAt = expiresAt
        try await database.write { db in try await model.create(on: db) }
    }

    /// The unexpired session with this token hash, with its active person.
    public func session(tokenHash: String, at now: Date) async throws -> SessionInfo? {
        guard let session = try await SessionModel.query(on: database.db).filter(\.$tokenHash == tokenHash).first(),
            session.expiresAt > now,
            let person = try await PersonModel.find(session.personID, on: database.db)?.domain, person.active
        else { return nil }
        return SessionInfo(id: session.id!, person: person, csrfToken: session.csrfToken, expiresAt: session.expiresAt)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.write { db in
            try await SessionModel.query(on: db).filter(\.$tokenHash == tokenHash).delete()
        }
    }

    // MARK: API tokens

    public func createToken(name: String, tokenHash: String, personID: UUID, at now: Date) async throws -> APITokenInfo
    {
        let model = APITokenModel()
        model.id = UUID()
        model.name = name
        model.tokenHash = tokenHash
        model.personID = personID
        model.createdAt = now
        try await database.write { db in try await model.create(on: db) }
        return Self.info(model)
    }

    /// The active person behind an unrevoked token, with the token's id. Records the use, at most once per `touchInterval`.
    public func tokenOwner(tokenHash: String, at now: Date, touchInterval: TimeInterval = 3600) async throws -> (
        tokenID: UUID, person: Person
    )? {
        guard
            let token = try await APITokenModel.query(on: database.db).filter(\.$tokenHash == tokenHash)
                .filter(\.$revokedAt == nil).first(),
            let person = try await PersonModel.find(token.personID, on: database.db)?.domain, person.active
        else { return nil }
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= touchInterval }) ?? true {
            try await database.write { db in
                try await APITokenModel.query(on: db).filter(\.$id == token.id!).set(\.$lastUsedAt, to: now).update()
            }
        }
        return (token.id!, person)
    }

    public func tokens(personID: UUID) async throws -> [APITokenInfo] {
        try await APITokenModel.query(on: database.db).filter(\.$personID == personID).sort(\.$createdAt).all()
            .map(Self.info)
    }

    public func token(_ id: UUID) async throws -> APITokenInfo? {
        try await APITokenModel.find(id, on: database.db).map(Self.info)
    }

    public func revokeToken(_ id: UUID, at now: Date) async throws {
        try await database.write { db in
            guard let model = try await APITokenModel.find(id, on: db) else { return }
            if model.revokedAt == nil {
                model.revokedAt = now
                try await model.save(on: db)
            }
        }
    }

    private static func info(_ model: APITokenModel) -> APITokenInfo {
        APITokenInfo(
            id: model.id!,
            name: model.name,
            personID: model.personID,
            createdAt: model.createdAt,
            lastUsedAt: model.lastUsedAt,
            revokedAt: model.revokedAt
        )
    }

    // MARK: Login throttling

    /// Counts one more login attempt for `key` and returns how many the current window now holds, starting
    /// a new window when the old one is over. One statement reads and counts, so attempts made at the same
    /// moment (on any instance) each see a different number: reserve before checking the password.
    public func countAttempt(key: String, window: TimeInterval, at now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-window)
        return try await database.write { db in
            let query: SQLQueryString = """
                INSERT INTO "login_attempts" ("key", "failures", "window_start") VALUES (\(bind: key), 1, \(bind: now))
                ON CONFLICT ("key") DO UPDATE SET
                    "failures" = CASE WHEN "login_attempts"."window_start" <= \(bind: cutoff) THEN 1 ELSE "login_attempts"."failures" + 1 END,
                    "window_start" = CASE WHEN "login_attempts"."window_start" <= \(bind: cutoff) THEN \(bind: now) ELSE "login_attempts"."window_start" END
                RETURNING "failures"
                """
            guard let row = try await (db as! any SQLDatabase).raw(query).first() else { return 0 }
            return try row.decode(column: "failures", as: Int.self)
        }
    }

    /// Gives back one attempt counted for `key` (a login that succeeded is not held against its address).
    public func releaseAttempt(key: String) async throws {
        try await database.write { db in
            try await (db as! any SQLDatabase).update("login_attempts")
                .set(SQLIdentifier("failures"), to: SQLRaw("\"failures\" - 1"))
                .where("key", .equal, key).where("failures", .greaterThan, 0)
                .run()
        }
    }

    public func clearFailures(key: String) async throws {
        try await database.write { db in
            try await LoginAttemptModel.query(on: db).filter(\.$id == key).delete()
        }
    }
}
