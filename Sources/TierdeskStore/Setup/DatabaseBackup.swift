import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// Backups of the data and the figures that show two databases hold the same: row counts of the main
/// tables and a checksum of every ticket event, identical on SQLite and PostgreSQL for the same data.
public struct DatabaseBackup: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// What a database holds, in numbers.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        /// Rows per table, in ``DatabaseBackup/tables`` order.
        public var counts: [(table: String, rows: Int)]
        /// FNV-1a (64 bit) over every event's id, ticket, sequence, kind and second, in sequence order.
        public var eventChecksum: UInt64

        public static func == (lhs: Summary, rhs: Summary) -> Bool {
            lhs.counts.map(\.table) == rhs.counts.map(\.table) && lhs.counts.map(\.rows) == rhs.counts.map(\.rows)
                && lhs.eventChecksum == rhs.eventChecksum
        }

        public var description: String {
            (counts.map { "\($0.table) \($0.rows)" } + ["event checksum \(String(eventChecksum, radix: 16))"])
                .joined(separator: ", ")
        }
    }

    /// The tables a summary counts.
    public static let tables = [
        "organisations", "people", "services", "tickets", "ticket_events", "attachments", "known_errors", "pages",
        "incidents", "incident_updates", "outbox", "ticket_links", "import_mappings",
    ]

    /// Events read per query while checksumming.
    static let batch = 5_000

    public func summary() async throws -> Summary {
        let sql = database.sql
        var counts: [(String, Int)] = []
        for table in Self.tables {
            let rows =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .first(decodingColumn: "n", as: Int.self) ?? 0
            counts.append((table, rows))
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var after = Int.min
        while true {
            let rows = try await sql.select().columns("id", "ticket_id", "seq", "kind", "at").from("ticket_events")
                .where("seq", .greaterThan, SQLBind(after)).orderBy("seq").limit(Self.batch).all()
            guard !rows.isEmpty else { break }
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int.self)
                let at = Int(try row.decode(column: "at", as: Date.self).timeIntervalSince1970.rounded(.down))
                let line = [
                    try row.decode(column: "id", as: UUID.self).uuidString.lowercased(),
                    try row.decode(column: "ticket_id", as: UUID.self).uuidString.lowercased(),
                    String(seq), try row.decode(column: "kind", as: String.self), String(at),
                ]
                .joined(separator: "|")
                for byte in (line + "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                after = seq
            }
        }
        return Summary(counts: counts, eventChecksum: hash)
    }

    /// Writes a consistent copy of an SQLite database to `path` while it serves (`VACUUM INTO`); the file
    /// must not exist. PostgreSQL is backed up with `pg_dump` (see docs/operations.md).
    public func backup(to path: String) async throws {
        guard case .sqlite = database.location else {
            throw TierdeskError.unavailable(
                "On PostgreSQL use pg_dump --format=custom and pg_restore (docs/operations.md); `tierdesk check` compares the two databases."
            )
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TierdeskError.conflict("\(path) exists; a backup never overwrites a file.")
        }
        try await database.sql.raw("VACUUM INTO \(bind: path)").run()
    }

    /// Whether an SQLite file passes `PRAGMA integrity_check`.
    public func integrityCheck() async throws -> String {
        guard case .sqlite = database.location else { return "ok" }
        let rows = try await database.sql.raw("PRAGMA integrity_check").all()
        return try rows.map { try $0.decode(column: "integrity_check", as: String.self) }.joined(separator: "; ")
    }

    /// Whether the database holds no people (nothing restored into it would be mixed with other data).
    public func isEmpty() async throws -> Bool {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("people")
            .first(decodingColumn: "n", as: Int.self) == 0
    }
}
