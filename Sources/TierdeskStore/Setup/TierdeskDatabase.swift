import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOPosix
import SQLKit
import TierdeskCore

/// The database Tierdesk runs on: SQLite (one file, WAL) by default, PostgreSQL for scale.
/// Owns the connection pools; call ``shutdown()`` when done.
public final class TierdeskDatabase: Sendable {
    public let location: DatabaseLocation
    let databases: Databases
    let logger: Logger
    let gate: WriteGate
    /// New tickets, committed in groups.
    let creations = GroupCommit<TicketCreation.Build, Ticket>(
        maxBatch: TicketCreation.maxBatch,
        store: TicketCreation.store
    )
    /// Recently read tickets; only on SQLite, where this process is the only writer.
    let ticketCache: TicketCache?
    /// What the write transactions have done so far.
    let writeTotals = WriteTotals()
    /// How to open a connection of one's own on PostgreSQL (to listen for changes); nil on SQLite.
    let postgresConfiguration: SQLPostgresConfiguration?
    /// This process's name for its connections (PostgreSQL's `application_name`, also seen in
    /// `pg_stat_activity`): the change notices its own writes cause carry it, so it skips them.
    let instance = "tierdesk-" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: "").lowercased()

    /// Opens the database and brings its schema up to date.
    public static func open(_ location: DatabaseLocation, logger: Logger, migrating: Bool = true) async throws
        -> TierdeskDatabase
    {
        let database = try TierdeskDatabase(location: location, logger: logger)
        do {
            try await database.prepare()
            if migrating { try await database.migrate() }
        } catch {
            await database.shutdown()
            throw error
        }
        return database
    }

    private init(location: DatabaseLocation, logger: Logger) throws {
        self.location = location
        self.logger = logger
        databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        switch location {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
            gate = WriteGate(serialises: true)
            ticketCache = TicketCache()
            postgresConfiguration = nil
        case .postgres(let url, let schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            configuration.coreConfiguration.options.additionalStartupParameters.append(("application_name", instance))
            databases.use(
                .postgres(
                    configuration: configuration,
                    maxConnectionsPerEventLoop: Self.postgresConnectionsPerEventLoop,
                    connectionPoolTimeout: Self.postgresConnectionWait,
                    sqlLogLevel: .trace
                ),
                as: .psql
            )
            gate = WriteGate(serialises: false)
            ticketCache = nil
            postgresConfiguration = configuration
        }
    }

    /// The Fluent handle.
    var db: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    /// The SQLKit handle for hand-tuned queries that run on both engines.
    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The engine, fixed by the location.
    public var engine: DatabaseEngine {
        if case .sqlite = location { return .sqlite }
        return .postgresql
    }

    private func prepare() async throws {
        switch location {
        case .sqlite:
            // WAL lets readers run beside the one writer; FULL keeps every committed ticket across power loss.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=FULL").run()
        case .postgres(_, let schema?):
            // Instances starting together would race on `CREATE SCHEMA IF NOT EXISTS` (it can fail with a
            // duplicate key); the migration lock, held for this transaction only, makes them take turns.
            let key = migrationLockKey
            try await db.transaction { transaction in
                let sql = transaction as! any SQLDatabase
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").run()
                try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
        case .postgres(_, nil):
            break
        }
    }

    /// The number that names the migration lock: the same on every instance of one database and schema
    /// (FNV-1a of "tierdesk" and the schema), so separate schemas (tests) do not wait for each other.
    var migrationLockKey: Int64 {
        var schemaName = ""
        if case .postgres(_, let schema?) = location { schemaName = schema }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("tierdesk:" + schemaName).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// Applies every migration not yet applied. On PostgreSQL the migrations run under an advisory lock held
    /// by one connection, so instances that start together wait for each other instead of racing; the
    /// lock goes with its connection should the process die.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(Self.migrations)
        let migrator = Migrator(
            databases: databases,
            migrations: migrations,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        guard engine == .postgresql else {
            // SQLite takes its own file lock for every schema change; one process owns the file.
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
            return
        }
        let key = migrationLockKey
        let logger = logger
        try await db.withConnection { connection in
            let sql = connection as! any SQLDatabase
            logger.debug("waiting for the migration lock")
            try await sql.raw("SELECT pg_advisory_lock(\(bind: key))").run()
            do {
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
        }
    }

    /// The names of the migrations not yet applied, in the order they would run (all of them on an empty
    /// database): what `tierdesk migrate --dry-run` lists and `/ready` waits for.
    public func pendingMigrations() async throws -> [String] {
        let sql = self.sql
        let table = "_fluent_migrations"
        let exists: Bool
        switch engine {
        case .sqlite:
            exists =
                try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)")
                .first() != nil
        case .postgresql:
            exists =
                try await sql.raw("SELECT to_regclass(\(bind: table)) IS NOT NULL AS found")
                .first(
                    decodingColumn: "found",
                    as: Bool.self
                ) ?? false
        }
        let applied: Set<String> =
            exists
            ? Set(try await sql.select().column("name").from(table).all(decodingColumn: "name", as: String.self)) : []
        return Self.migrations.map(\.name).filter { !applied.contains($0) }
    }

    /// Takes the schema back to the state after the first `count` migrations, newest first, with the data
    /// each earlier version can hold: how the upgrade tests make a database of every earlier version. A
    /// running desk never goes back (``migrate()`` only goes forward).
    func revertMigrations(keeping count: Int) async throws {
        let applied = Set(
            try await sql.select().column("name").from("_fluent_migrations")
                .all(decodingColumn: "name", as: String.self)
        )
        for migration in Self.migrations[count...].reversed() where applied.contains(migration.name) {
            try await migration.revert(on: db).get()
            try await sql.delete(from: "_fluent_migrations").where("name", .equal, migration.name).run()
        }
        ticketCache?.removeAll()
    }

    /// Every migration, oldest first. Migrations only go forward: a released one is never changed.
    static let migrations: [any Migration] = [
        M001_CreateDirectory(),
        M002_CreateTickets(),
        M003_CreateCredentials(),
        M004_AddEventActorKind(),
        M005_AddTicketDeadline(),
        M006_CreateSLAAlarms(),
        M007_CreateEscalation(),
        M008_AddVendorEscalation(),
        M009_CreateKnownErrors(),
        M010_AddTicketAttributes(),
        M011_CreateOutbox(),
        M012_CreateAlerts(),
        M013_CreateWebhooks(),
        M014_CreateOnCall(),
        M015_CreateWorkLog(),
        M016_CreateKnownErrorTerms(),
        M017_IndexRequesterCreation(),
        M018_CreateAlertIntakeHours(),
        M019_CreateMajorIncidents(),
        M020_CreateNotificationPreferences(),
        M021_CreateBilling(),
        M022_IndexOpenQueues(),
        M023_CreateTicketSearch(),
        M024_AnnounceSharedChanges(),
        M025_CreateReportProjection(),
        M026_ListReportEntries(),
        M027_OrderReportCorrections(),
        M028_IndexTicketTitles(),
        M029_IndexUnreadNotifications(),
        M030_CreateImportMappings(),
        M031_CreateTicketLinks(),
        M032_CreateTicketPresence(),
        M033_CreateResponseTemplates(),
        M034_CreateSavedViews(),
        M035_CreateInvitations(),
        M036_CreateTicketWatchers(),
        M037_AddPublicKnownErrors(),
        M038_CreateVendorFiles(),
    ]

    /// Runs `body` in one transaction, taking the writer's turn on SQLite.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let queued = ContinuousClock.now
        return try await gate.run {
            let started = ContinuousClock.now
            do {
                let result = try await self.db.transaction { transaction in try await body(transaction) }
                writeTotals.record(waited: started - queued, held: .now - started, failed: false)
                return result
            } catch {
                writeTotals.record(waited: started - queued, held: .now - started, failed: true)
                throw error
            }
        }
    }

    /// The write transactions' totals so far, and the writes and ticket creations waiting now.
    public func writeActivity() async -> WriteActivity {
        var activity = writeTotals.current
        activity.waiting = await gate.waiting
        activity.creationsWaiting = await creations.waiting
        return activity
    }

    /// The most connections this process opens to the database: its pool per event loop, times the loops.
    public var poolConnections: Int {
        let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { count, _ in count + 1 }
        return (engine == .sqlite ? 1 : Self.postgresConnectionsPerEventLoop) * loops
    }

    /// Connections each event loop's pool may open on PostgreSQL (SQLite's pools keep one each).
    static let postgresConnectionsPerEventLoop = 4

    /// How long a request waits for a free PostgreSQL connection before it fails. A burst of writes to one
    /// row (forty logins to one account at once) queues on the row's lock while holding every connection; on
    /// a loaded machine that queue can outlast the driver's default ten seconds.
    static let postgresConnectionWait: TimeAmount = .seconds(30)

    /// Drops a PostgreSQL schema made for a test. Does nothing on SQLite.
    public func dropSchema() async throws {
        if case .postgres(_, let schema?) = location {
            try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
    }

    /// Closes every connection.
    public func shutdown() async {
        await databases.shutdownAsync()
    }
}

extension Database {
    /// The SQL side of a Fluent database.
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
