import Foundation

/// Where Tierdesk keeps its data, parsed from `TIERDESK_DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (WAL mode).
    case sqlite(path: String)
    /// A PostgreSQL database; `schema`, when set, is created if missing and used as the search path.
    case postgres(url: String, schema: String?)

    /// The default: `./data/tierdesk.sqlite`.
    public static let defaultSQLite = DatabaseLocation.sqlite(path: "data/tierdesk.sqlite")

    /// Parses `sqlite:///absolute/path`, `sqlite://relative/path`, `postgres://…` or `postgresql://…`.
    /// An empty or missing value means ``defaultSQLite``.
    public init(url: String?) throws {
        guard let url, !url.isEmpty else {
            self = .defaultSQLite
            return
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw DatabaseURLError(url: url) }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url, schema: nil)
        } else {
            throw DatabaseURLError(url: url)
        }
    }
}

/// A database URL Tierdesk cannot use.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public var url: String
    public var description: String {
        "TIERDESK_DATABASE_URL must start with sqlite:// (e.g. sqlite:///var/lib/tierdesk/tierdesk.sqlite) or postgres:// (e.g. postgres://user:password@host:5432/tierdesk); got a value starting with \(url.prefix(12))…"
    }
}
