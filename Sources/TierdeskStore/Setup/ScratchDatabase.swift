import Foundation
import Logging

/// A fresh, empty, migrated database for one test or one benchmark run.
///
/// With `TIERDESK_TEST_DATABASE_URL=postgres://…` it is a new schema in that PostgreSQL database;
/// otherwise a new SQLite file in the temporary directory. ``discard()`` removes it again.
public struct ScratchDatabase: Sendable {
    public let database: TierdeskDatabase
    private let sqlitePath: String?
    /// Whether ``discard()`` leaves the data in place (a named database a benchmark reuses).
    private var kept = false

    public static func create(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> ScratchDatabase
    {
        let name = "td_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        if let url = environment["TIERDESK_TEST_DATABASE_URL"], !url.isEmpty {
            guard case .postgres(let url, _) = try DatabaseLocation(url: url) else {
                throw DatabaseURLError(url: url)
            }
            let database = try await TierdeskDatabase.open(.postgres(url: url, schema: String(name)), logger: logger)
            return ScratchDatabase(database: database, sqlitePath: nil)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path
        return ScratchDatabase(
            database: try await TierdeskDatabase.open(.sqlite(path: path), logger: logger),
            sqlitePath: path
        )
    }

    /// A database kept under `name` across runs: the SQLite file at that path, or (with
    /// TIERDESK_TEST_DATABASE_URL) the PostgreSQL schema of that name. ``discard()`` only closes it.
    public static func kept(
        named name: String,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        async throws -> ScratchDatabase
    {
        var scratch: ScratchDatabase
        if let url = environment["TIERDESK_TEST_DATABASE_URL"], !url.isEmpty {
            guard case .postgres(let url, _) = try DatabaseLocation(url: url) else {
                throw DatabaseURLError(url: url)
            }
            scratch = ScratchDatabase(
                database: try await TierdeskDatabase.open(.postgres(url: url, schema: name), logger: logger),
                sqlitePath: nil
            )
        } else {
            scratch = ScratchDatabase(
                database: try await TierdeskDatabase.open(.sqlite(path: name), logger: logger),
                sqlitePath: name
            )
        }
        scratch.kept = true
        return scratch
    }

    /// Drops the schema or deletes the file, and closes the connections; a kept database is only closed.
    public func discard() async {
        if kept {
            await database.shutdown()
            return
        }
        try? await database.dropSchema()
        await database.shutdown()
        if let sqlitePath {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
        }
    }

    /// Runs `body` with a scratch database and discards it afterwards, also when `body` throws.
    public static func with<T>(logger: Logger, _ body: (TierdeskDatabase) async throws -> T) async throws -> T {
        let scratch = try await create(logger: logger)
        do {
            let result = try await body(scratch.database)
            await scratch.discard()
            return result
        } catch {
            await scratch.discard()
            throw error
        }
    }
}
