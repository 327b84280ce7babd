import ArgumentParser
import Foundation
import TierdeskCore
import TierdeskStore

/// `tierdesk backup --to FILE`: an online, consistent copy of the SQLite database while it serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to FILE while it serves (PostgreSQL: pg_dump, see docs/operations.md).",
        discussion:
            "Prints the copy's row counts and event checksum; `tierdesk check` prints the same for any database."
    )

    @Option(name: .long, help: "The new file to write; it must not exist.")
    var to: String

    func run() async throws {
        let logger = Startup.logger(defaultLevel: .warning)
        let location = try DatabaseLocation(url: ProcessInfo.processInfo.environment["TIERDESK_DATABASE_URL"])
        let database = try await TierdeskDatabase.open(location, logger: logger)
        do {
            try await DatabaseBackup(database).backup(to: to)
            await database.shutdown()
        } catch let error as TierdeskError {
            await database.shutdown()
            throw ValidationError(error.reason)
        }
        let copy = try await TierdeskDatabase.open(.sqlite(path: to), logger: logger)
        let summary = try await DatabaseBackup(copy).summary()
        await copy.shutdown()
        say("Backed up to \(to): \(summary)")
    }
}

/// `tierdesk restore --from FILE`: an SQLite backup becomes the database, which must be empty or missing.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore an SQLite backup into an empty or missing database (PostgreSQL: pg_restore).",
        discussion: "The backup file is not changed; the restored copy is checked and brought up to date."
    )

    @Option(name: .long, help: "The backup file written by `tierdesk backup`.")
    var from: String

    func run() async throws {
        let logger = Startup.logger(defaultLevel: .warning)
        let location = try DatabaseLocation(url: ProcessInfo.processInfo.environment["TIERDESK_DATABASE_URL"])
        guard case .sqlite(let target) = location else {
            throw ValidationError(
                "On PostgreSQL restore with pg_restore (docs/operations.md), then run `tierdesk check`."
            )
        }
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("\(from) does not exist.") }
        let files = FileManager.default
        if files.fileExists(atPath: target) {
            let existing = try await TierdeskDatabase.open(location, logger: logger)
            let empty = try await DatabaseBackup(existing).isEmpty()
            await existing.shutdown()
            guard empty else {
                throw ValidationError("\(target) already holds data; restore only into an empty or missing database.")
            }
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: target + suffix) {
                try files.removeItem(atPath: target + suffix)
            }
        }
        try files.createDirectory(
            atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path,
            withIntermediateDirectories: true
        )
        try files.copyItem(atPath: from, toPath: target)
        let restored = try await TierdeskDatabase.open(location, logger: logger)
        let backup = DatabaseBackup(restored)
        let integrity = try await backup.integrityCheck()
        guard integrity == "ok" else {
            await restored.shutdown()
            try? files.removeItem(atPath: target)
            throw ValidationError(
                "\(from) is damaged (integrity check: \(integrity.prefix(200))); nothing was restored."
            )
        }
        let summary = try await backup.summary()
        await restored.shutdown()
        say("Restored \(from) into \(target): \(summary)")
    }
}

/// `tierdesk check`: row counts and the event checksum of the database, to compare a restore with its source.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print the database's row counts and event checksum (compare a restore with its source)."
    )

    func run() async throws {
        let logger = Startup.logger(defaultLevel: .warning)
        let location = try DatabaseLocation(url: ProcessInfo.processInfo.environment["TIERDESK_DATABASE_URL"])
        let database = try await TierdeskDatabase.open(location, logger: logger)
        let backup = DatabaseBackup(database)
        let integrity = try await backup.integrityCheck()
        let summary = try await backup.summary()
        await database.shutdown()
        say("integrity \(integrity), \(summary)")
        if integrity != "ok" { throw ExitCode(1) }
    }
}
