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
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path
        return try await open(schema: String(name), sqlitePath: path, logger: logger, environment: environment)
    }

    /// A database kept under `name` across runs: the SQLite file at that path, or (with
    /// TIERDESK_TEST_DATABASE_URL) the PostgreSQL schema of that name. ``discard()`` only closes it.
    public static func kept(
        named name: String,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ScratchDatabase {
        var scratch = try await open(schema: name, sqlitePath: name, logger: logger, environment: environment)
        scratch.kept = true
        return scratch
    }

    /// The PostgreSQL schema `schema` with TIERDESK_TEST_DATABASE_URL, else the SQLite file at `sqlitePath`.
    private static func open(schema: String, sqlitePath: String, logger: Logger, environment: [String: String])
        async throws -> ScratchDatabase
    {
        if let url = environment["TIERDESK_TEST_DATABASE_URL"], !url.isEmpty {
            guard case .postgres(let url, _) = try DatabaseLocation(url: url) else {
                throw DatabaseURLError(url: url)
            }
            let database = try await TierdeskDatabase.open(.postgres(url: url, schema: schema), logger: logger)
            return ScratchDatabase(database: database, sqlitePath: nil)
        }
        return ScratchDatabase(
            database: try await TierdeskDatabase.open(.sqlite(path: sqlitePath), logger: logger),
            sqlitePath: sqlitePath
        )
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
