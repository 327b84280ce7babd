import Foundation
import TierdeskCore

/// Tickets from a CSV file with a header line, for desks without an importer. The columns, by name in any
/// order (docs/operations.md):
///
/// - required: `id` (unique in the file), `title`, `requester_email`, `created_at` (RFC 3339);
/// - optional: `description`, `requester_name`, `organisation`, `status` (Tierdesk's names or `open`),
///   `priority` (`P1`–`P5`), `owner_email` (staff), `owner_name`, `group`, `updated_at`, `tags` (separated by
///   `;`), `reply` (the last public answer, by the owner at `updated_at`), `refers_to`, `depends_on` and
///   `part_of` (ids of other lines, separated by `;`), and any other column, kept as an attribute of the same
///   name.
public struct CSVImportSource: ImportSource {
    public let name: String
    public let label: String
    public var vocabulary: ImportVocabulary { .csv }
    private let rows: [Row]
    /// Id → index in ``rows``.
    private let lines: [String: Int]

    /// One line of the file by column name.
    struct Row: Sendable {
        var line: Int
        var values: [String: String]

        func value(_ column: String) -> String? {
            guard let value = values[column]?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
    }

    static let required = ["id", "title", "requester_email", "created_at"]
    static let known: Set<String> = [
        "id", "title", "description", "requester_email", "requester_name", "organisation", "status", "priority",
        "owner_email", "owner_name", "group", "created_at", "updated_at", "tags", "reply", "refers_to", "depends_on",
        "part_of",
    ]
    /// The link columns and the links they make.
    static let linkColumns: [(String, TicketLinkKind)] = [
        ("refers_to", .refersTo), ("depends_on", .dependsOn), ("part_of", .partOf),
    ]
    /// The largest file read.
    public static let maxBytes = 512 * 1024 * 1024

    /// Reads the file; refuses one without the required columns, with a malformed line, or with an id twice.
    public init(data: Data, name: String) throws {
        guard data.count <= Self.maxBytes else { throw ImportSourceError("the file is larger than 512 MiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw ImportSourceError("the file is not UTF-8") }
        let table: [[String]]
        do {
            table = try CSVTable.rows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch {
            throw ImportSourceError(error.description)
        }
        guard let header = table.first?.map({ $0.trimmingWhitespace().lowercased() }) else {
            throw ImportSourceError("the file is empty")
        }
        let missing = Self.required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw ImportSourceError(
                "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
            )
        }
        var lines: [String: Int] = [:]
        var rows: [Row] = []
        for (index, cells) in table.dropFirst().enumerated() {
            guard cells.count == header.count else {
                throw ImportSourceError("line \(index + 2) has \(cells.count) fields, the header \(header.count)")
            }
            let row = Row(
                line: index + 2,
                values: Dictionary(zip(header, cells), uniquingKeysWith: { first, _ in first })
            )
            guard let id = row.value("id") else { throw ImportSourceError("line \(index + 2) has no id") }
            guard lines[id] == nil else { throw ImportSourceError("line \(index + 2) repeats the id \(id)") }
            lines[id] = rows.count
            rows.append(row)
        }
        self.rows = rows
        self.lines = lines
        self.name = "csv:\(name)"
        label = "CSV \(name)"
    }

    public func organisations() async throws -> [ImportedOrganisation] {
        Set(rows.compactMap { $0.value("organisation") }).sorted().map { ImportedOrganisation(sourceID: $0, name: $0) }
    }

    public func people() async throws -> [ImportedPerson] {
        var people: [String: ImportedPerson] = [:]
        for row in rows {
            if let owner = row.value("owner_email")?.lowercased() {
                people[owner] = ImportedPerson(
                    sourceID: owner,
                    email: owner,
                    name: row.value("owner_name") ?? owner,
                    isStaff: true
                )
            }
        }
        for row in rows {
            guard let email = row.value("requester_email")?.lowercased(), people[email] == nil else { continue }
            people[email] = ImportedPerson(
                sourceID: email,
                email: email,
                name: row.value("requester_name") ?? email,
                isStaff: false,
                organisation: row.value("organisation")
            )
        }
        return people.values.sorted { $0.sourceID < $1.sourceID }
    }

    public func queues() async throws -> [ImportedQueue] {
        Set(rows.compactMap { $0.value("group") }).sorted().map { ImportedQueue(sourceID: $0, name: $0) }
    }

    public func ticketIDs() async throws -> [String] {
        rows.compactMap { $0.value("id") }
    }

    public func ticket(_ id: String) async throws -> ImportedTicket {
        guard let row = lines[id].map({ rows[$0] }) else {
            throw ImportSourceError("no line has the id \(id)", concernsOneRecord: true)
        }
        guard let created = row.value("created_at").flatMap(Timestamp.parse) else {
            throw ImportSourceError(
                "line \(row.line): created_at is not a time such as 2026-03-06T09:30:00Z",
                concernsOneRecord: true
            )
        }
        guard let requester = row.value("requester_email")?.lowercased() else {
            throw ImportSourceError("line \(row.line) has no requester_email", concernsOneRecord: true)
        }
        let updated = row.value("updated_at").flatMap(Timestamp.parse)
        if row.value("updated_at") != nil, updated == nil {
            throw ImportSourceError(
                "line \(row.line): updated_at is not a time such as 2026-03-06T09:30:00Z",
                concernsOneRecord: true
            )
        }
        let owner = row.value("owner_email")?.lowercased()
        var entries: [ImportedEntry] = []
        if let reply = row.value("reply") {
            entries.append(
                ImportedEntry(
                    sourceID: "\(id)-reply",
                    at: max(updated ?? created, created),
                    author: owner,
                    change: .message(isPublic: true),
                    body: reply
                )
            )
        }
        return ImportedTicket(
            sourceID: id,
            title: row.value("title") ?? "",
            description: row.value("description") ?? "",
            requester: requester,
            owner: owner,
            queue: row.value("group"),
            status: row.value("status") ?? "new",
            priority: row.value("priority"),
            createdAt: created,
            updatedAt: updated,
            fields: row.values.filter { !Self.known.contains($0.key) && !$0.value.trimmingWhitespace().isEmpty },
            tags: (row.value("tags") ?? "").split(separator: ";").map(String.init),
            links: Self.linkColumns.flatMap { column, kind in
                (row.value(column) ?? "").split(separator: ";")
                    .map {
                        ImportedLink(kind: kind, other: $0.trimmingWhitespace())
                    }
            },
            entries: entries
        )
    }
}
