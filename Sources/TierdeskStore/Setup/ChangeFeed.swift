import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import SQLKit

/// Changes other instances made to what every instance caches, as PostgreSQL announces them (see
/// ``M024_AnnounceSharedChanges``): settings, people, organisations, services, contracts, known errors and
/// revoked tokens. Changes this process made are skipped: it updated its caches as it wrote them. One
/// connection of its own listens; when it is lost, the feed connects again and says so, since announcements
/// made meanwhile were missed. On SQLite there is one process and nothing to follow.
public struct ChangeFeed: Sendable {
    /// What a follower hears.
    public enum Change: Sendable, Equatable {
        /// Listening (again): anything may have changed since the last announcement heard.
        case listening
        /// Another instance's write to this table committed.
        case table(String)
    }

    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Whether there is anything to follow (PostgreSQL).
    public var isShared: Bool { database.postgresConfiguration != nil }

    /// Calls `changed` for each change until the task is cancelled; after losing the connection it waits
    /// `retry` (through `sleep`) and connects again. Returns at once on SQLite.
    public func follow(
        retry: Duration = .seconds(1),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        _ changed: @escaping @Sendable (Change) async -> Void
    ) async {
        guard let configuration = database.postgresConfiguration else { return }
        let logger = database.logger
        let instance = database.instance
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(),
                    configuration: configuration.coreConfiguration,
                    id: attempt,
                    logger: logger
                )
                // However listening ends, the connection is closed before it is let go.
                defer { Self.close(connection) }
                try await withTaskCancellationHandler {
                    let schema = try await Self.currentSchema(connection, configuration, logger: logger)
                    try await connection.listen(on: Self.channel(schema: schema)) { notifications in
                        await changed(.listening)
                        for try await notification in notifications {
                            let (table, writer) = Self.parse(notification.payload)
                            if writer != instance { await changed(.table(table)) }
                        }
                    }
                } onCancel: {
                    _ = connection.close() as EventLoopFuture<Void>
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Lost the database connection that hears other instances' changes; connecting again",
                    metadata: ["error": "\(String(describing: error).prefix(300))"]
                )
            }
            try? await sleep(retry)
        }
    }

    /// Closes the connection and holds on to it until its channel has closed (PostgresNIO insists on that).
    private static func close(_ connection: PostgresConnection) {
        _ = connection.close() as EventLoopFuture<Void>
        connection.closeFuture.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// A notice's table and the application name of the connection that wrote it.
    static func parse(_ payload: String) -> (table: String, writer: String) {
        let parts = payload.split(separator: " ", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : "")
    }

    /// The channel the triggers of `schema` notify.
    static func channel(schema: String) -> String {
        "tierdesk_changes_" + schema
    }

    /// The schema this database's tables live in (the search path's first, as the pool sets it).
    private static func currentSchema(
        _ connection: PostgresConnection,
        _ configuration: SQLPostgresConfiguration,
        logger: Logger
    ) async throws -> String {
        if let schema = configuration.searchPath?.first { return schema }
        let rows = try await connection.query("SELECT current_schema()", logger: logger)
        for try await (schema) in rows.decode(String.self) { return schema }
        return "public"
    }
}
