import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

@Suite struct DirectoryAndCredentialTests {
    @Test func duplicateNamesAndEmailsAreConflicts() async throws {
        try await StoreFixture.with { f in
            await #expect(throws: TierdeskError.conflict("An organisation named Acme exists already.")) {
                try await f.directory.save(
                    Organisation(id: UUID(), name: "Acme", sharesTickets: false, createdAt: StoreFixture.t0)
                )
            }
            let twin = Person(
                id: UUID(),
                email: f.alice.email,
                name: "Other Alice",
                roles: [.requester],
                organisationID: f.globex.id,
                createdAt: StoreFixture.t0
            )
            await #expect(throws: TierdeskError.conflict("A person with the e-mail alice@example.com exists already."))
            {
                try await f.directory.save(twin, passwordHash: nil)
            }
            var renamed = f.alice
            renamed.name = "Alice Smith"
            try await f.directory.save(renamed)
            #expect(try await f.directory.person(f.alice.id)?.name == "Alice Smith")
            #expect(try await f.directory.person(email: "ALICE@example.com ")?.id == f.alice.id)
            #expect(try await f.directory.people(role: .agent).map(\.name) == ["Agnes"])
            #expect(try await f.directory.organisations().map(\.name) == ["Acme", "Globex", "Internal"])
        }
    }

    @Test func tokensAreFoundByHashUntilRevoked() async throws {
        try await StoreFixture.with { f in
            let credentials = CredentialRepository(f.database)
            let token = try await credentials.createToken(
                name: "CI",
                tokenHash: "hash-1",
                personID: f.agent.id,
                at: StoreFixture.t0
            )
            #expect(try await credentials.tokenOwner(tokenHash: "hash-1", at: StoreFixture.t0)?.person.id == f.agent.id)
            #expect(try await credentials.token(token.id)?.lastUsedAt == StoreFixture.t0)
            #expect(try await credentials.tokenOwner(tokenHash: "hash-2", at: StoreFixture.t0) == nil)
            try await credentials.revokeToken(token.id, at: StoreFixture.t0)
            #expect(try await credentials.tokenOwner(tokenHash: "hash-1", at: StoreFixture.t0) == nil)
            #expect(try await credentials.tokens(personID: f.agent.id).first?.revokedAt == StoreFixture.t0)
        }
    }

    @Test func sessionsExpireAndEnd() async throws {
        try await StoreFixture.with { f in
            let credentials = CredentialRepository(f.database)
            try await credentials.createSession(
                tokenHash: "s1",
                personID: f.alice.id,
                csrfToken: "c1",
                at: StoreFixture.t0,
                expiresAt: StoreFixture.t0.addingTimeInterval(3600)
            )
            #expect(try await credentials.session(tokenHash: "s1", at: StoreFixture.t0)?.person.id == f.alice.id)
            #expect(try await credentials.session(tokenHash: "s1", at: StoreFixture.t0.addingTimeInterval(3600)) == nil)
            try await credentials.deleteSession(tokenHash: "s1")
            #expect(try await credentials.session(tokenHash: "s1", at: StoreFixture.t0) == nil)
        }
    }

    @Test func loginAttemptsCountWithinTheirWindow() async throws {
        try await StoreFixture.with { f in
            let credentials = CredentialRepository(f.database)
            var counts: [Int] = []
            for minute in 0..<3 {
                counts.append(
                    try await credentials.countAttempt(
                        key: "account:x",
                        window: 900,
                        at: StoreFixture.t0.addingTimeInterval(Double(minute) * 60)
                    )
                )
            }
            #expect(counts == [1, 2, 3])
            // The window began at t0, so at t0 + 900 s a new one starts.
            #expect(
                try await credentials.countAttempt(
                    key: "account:x",
                    window: 900,
                    at: StoreFixture.t0.addingTimeInterval(900)
                ) == 1
            )
            try await credentials.releaseAttempt(key: "account:x")
            try await credentials.releaseAttempt(key: "account:x")
            #expect(
                try await credentials.countAttempt(
                    key: "account:x",
                    window: 900,
                    at: StoreFixture.t0.addingTimeInterval(901)
                ) == 1
            )
            try await credentials.clearFailures(key: "account:x")
            #expect(
                try await credentials.countAttempt(
                    key: "account:x",
                    window: 900,
                    at: StoreFixture.t0.addingTimeInterval(902)
                ) == 1
            )
        }
    }

    @Test func attemptsMadeAtOnceEachGetTheirOwnCount() async throws {
        try await StoreFixture.with { f in
            let credentials = CredentialRepository(f.database)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await credentials.countAttempt(key: "account:y", window: 900, at: StoreFixture.t0)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...40))
        }
    }

    @Test func priorityMatrixIsStandardUntilSaved() async throws {
        try await StoreFixture.with { f in
            let settings = SettingsRepository(f.database)
            #expect(try await settings.priorityMatrix() == .standard)
            var entries = PriorityMatrix.standard.entries
            entries[0].priority = .p2
            let custom = try PriorityMatrix(entries: entries)
            try await settings.save(custom)
            #expect(try await settings.priorityMatrix() == custom)
        }
    }

    @Test func attachmentsKeepTheirBytesAndAnnounceThemselves() async throws {
        try await StoreFixture.with { f in
            let ticket = try await f.open("Screenshot", for: f.alice)
            let attachments = AttachmentRepository(f.database)
            let bytes = Data((0...255).map(UInt8.init) + [0, 0, 1])
            let info = try await attachments.add(
                ticket: ticket,
                filename: "dump.bin",
                contentType: "application/octet-stream",
                data: bytes,
                by: f.alice.id,
                at: StoreFixture.t0
            )
            #expect(try await attachments.list(ticketID: ticket.id) == [info])
            let (stored, data) = try #require(try await attachments.file(info.id, ticketID: ticket.id))
            #expect(stored == info && data == bytes)
            #expect(try await attachments.file(info.id, ticketID: UUID()) == nil)
            #expect(
                try await f.tickets.events(ticketID: ticket.id, includeInternal: false).last?.kind == .attachmentAdded
            )
        }
    }
}
