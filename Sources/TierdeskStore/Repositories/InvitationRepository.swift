import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Invitations to set a password (``M035_CreateInvitations``). A new person, their invitation and the mail
/// carrying its link are stored in one write; using the link sets the password and spends the invitation
/// in another, so a link works once.
public struct InvitationRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    static let columns = ["id", "person_id", "token_hash", "invited_by", "created_at", "expires_at", "used_at"]

    /// Stores `person` (new, or an existing one invited again), the invitation under `tokenHash`, and `mail`.
    /// Earlier unused invitations of the same person stop working.
    public func invite(
        _ person: Person,
        invitation: Invitation,
        tokenHash: String,
        mail: [OutboxMessage]
    ) async throws {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            try await DirectoryRepository.save(person, passwordHash: nil, on: db)
            try await sql.update("invitations").set("used_at", to: SQLBind(invitation.createdAt))
                .where("person_id", .equal, SQLBind(person.id)).where("used_at", .is, SQLLiteral.null).run()
            try await sql.insert(into: "invitations").columns(Self.columns)
                .values(
                    SQLBind(invitation.id),
                    SQLBind(invitation.personID),
                    SQLBind(tokenHash),
                    SQLBind(invitation.invitedBy),
                    SQLBind(invitation.createdAt),
                    SQLBind(invitation.expiresAt),
                    SQLBind(invitation.usedAt)
                )
                .run()
            try await OutboxRepository.insert(mail, on: sql)
        }
    }

    /// The invitation stored under `tokenHash` with the person it is for; nil when there is none.
    public func invitation(tokenHash: String) async throws -> (Invitation, Person)? {
        guard let row = try await Self.row(tokenHash: tokenHash, on: database.sql),
            let person = try await PersonModel.find(row.personID, on: database.db)?.domain
        else { return nil }
        return (row, person)
    }

    /// Sets the password of the invited person and spends the invitation, if it can still be used at `now`;
    /// returns the person, or the refusal in words.
    public func redeem(tokenHash: String, passwordHash: String, at now: Date) async throws -> Result<Person, Refusal> {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            guard let invitation = try await Self.row(tokenHash: tokenHash, on: sql),
                let model = try await PersonModel.find(invitation.personID, on: db)
            else { return .failure(Refusal(message: "This invitation link is not valid.")) }
            if let refusal = invitation.refusal(at: now) { return .failure(Refusal(message: refusal)) }
            guard model.active else {
                return .failure(Refusal(message: "This account has been deactivated. Ask your administrator."))
            }
            // Spent first, and only if still unspent: of two requests with one link, one sets the password.
            let spent =
                try await sql.raw(
                    "UPDATE invitations SET used_at = \(bind: now) WHERE id = \(bind: invitation.id) AND used_at IS NULL RETURNING id"
                )
                .all()
            guard !spent.isEmpty else { return .failure(Refusal(message: Invitation.spentMessage)) }
            model.passwordHash = passwordHash
            try await model.save(on: db)
            return .success(model.domain)
        }
    }

    /// People with an invitation not yet used, and until when it is valid.
    public func pending(at now: Date) async throws -> [UUID: Date] {
        let rows = try await database.sql.select().columns("person_id", "expires_at").from("invitations")
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, SQLBind(now)).all()
        var pending: [UUID: Date] = [:]
        for row in rows {
            let person = try row.decode(column: "person_id", as: UUID.self)
            let expiry = try row.decode(column: "expires_at", as: Date.self)
            pending[person] = max(expiry, pending[person] ?? expiry)
        }
        return pending
    }

    /// Why a link cannot be used.
    public struct Refusal: Error, Sendable {
        public var message: String

        public init(message: String) {
            self.message = message
        }
    }

    private static func row(tokenHash: String, on sql: any SQLDatabase) async throws -> Invitation? {
        guard
            let row = try await sql.select().columns(columns).from("invitations")
                .where("token_hash", .equal, SQLBind(tokenHash)).first()
        else { return nil }
        return Invitation(
            id: try row.decode(column: "id", as: UUID.self),
            personID: try row.decode(column: "person_id", as: UUID.self),
            invitedBy: try row.decode(column: "invited_by", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            expiresAt: try row.decode(column: "expires_at", as: Date.self),
            usedAt: try row.decode(column: "used_at", as: Date?.self)
        )
    }
}
