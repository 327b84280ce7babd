import Foundation
import TierdeskCore

/// Request Tracker 5 through its REST2 API (`/REST/2.0`), with an authentication token
/// (`Authorization: token …`) of a user who may see every queue to import.
///
/// - People are RT users, known by their user name (a requester's is usually the address); privileged
///   users are staff. RT has no organisations: a user's Organization field names one.
/// - Queues become support groups.
/// - A ticket's history is its transactions: the creation, correspondence (public) and comments
///   (internal) with their text part and files, and the changes of status, owner, queue, subject, priority
///   and custom fields. Mail records, watchers and link transactions are left out; links come from the
///   ticket itself, both ways.
public actor RequestTrackerSource: ImportSource {
    public nonisolated let name: String
    public nonisolated let label: String
    public nonisolated var vocabulary: ImportVocabulary { .requestTracker }
    private let http: ImportHTTP
    private let query: String
    /// RT's numeric user ids (owner changes name users so) → user names.
    private var userNames: [String: String] = [:]
    private var fieldNames: [String: String] = [:]
    private var users: [ImportedPerson]?

    /// RT's own users, which stand for nobody and for RT itself.
    static let systemUsers: Set<String> = ["Nobody", "RT_System"]
    static let perPage = 100

    /// `url` is RT's web address (REST2 lives under `/REST/2.0` there); `query` is TicketSQL choosing the
    /// tickets (every ticket by default).
    public init(url: URL, token: String, query: String = "id > 0") {
        http = ImportHTTP(base: url.appendingPathComponent("REST/2.0"), authorization: "token \(token)")
        self.query = query
        let host = url.host ?? "rt"
        name = "rt:\(host)\(url.port.map { ":\($0)" } ?? "")\(url.path == "/" ? "" : url.path)"
        label = "RT \(host)"
    }

    /// Every item of a REST2 collection, page by page.
    private func collection(_ path: String, _ query: [(String, String)]) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var page = 1
        while true {
            let answer = try await http.json(
                path,
                query: query + [("per_page", String(Self.perPage)), ("page", String(page))]
            )
            let batch = answer["items"]?.items ?? []
            items += batch
            let pages = answer["pages"]?.string.flatMap { Int($0) } ?? 1
            if batch.isEmpty || page >= pages { return items }
            page += 1
        }
    }

    /// Every user: the list names them, and each is read alone, since only then does RT say whether
    /// they are privileged (staff) and give their numeric id (which owner changes use).
    public func people() async throws -> [ImportedPerson] {
        if let users { return users }
        var read: [ImportedPerson] = []
        for item in try await collection("users", []) {
            guard let listed = item["id"]?.nonEmpty, !Self.systemUsers.contains(listed),
                let address = item["_url"]?.nonEmpty
            else { continue }
            let user = try await http.json(url: address, shown: "user \(listed.prefix(80))")
            guard let name = user["Name"]?.nonEmpty else { continue }
            if let number = user["id"]?.string { userNames[number] = name }
            read.append(
                ImportedPerson(
                    sourceID: name,
                    email: user["EmailAddress"]?.nonEmpty ?? (name.contains("@") ? name : nil),
                    name: user["RealName"]?.nonEmpty ?? name,
                    isStaff: user["Privileged"]?.flag ?? false,
                    organisation: user["Organization"]?.nonEmpty,
                    active: !(user["Disabled"]?.flag ?? false),
                    createdAt: user["Created"]?.string.flatMap(Timestamp.parse)
                )
            )
        }
        users = read
        return read
    }

    public func organisations() async throws -> [ImportedOrganisation] {
        Set(try await people().compactMap(\.organisation)).sorted()
            .map {
                ImportedOrganisation(sourceID: $0, name: $0)
            }
    }

    public func queues() async throws -> [ImportedQueue] {
        try await collection("queues/all", [("fields", "Name")])
            .compactMap { item in
                guard let id = item["id"]?.string, let name = item["Name"]?.nonEmpty else { return nil }
                return ImportedQueue(sourceID: id, name: name)
            }
    }

    public func ticketIDs() async throws -> [String] {
        try await collection("tickets", [("query", query), ("orderby", "id"), ("order", "ASC")])
            .compactMap { $0["id"]?.string }
    }

    public func ticket(_ id: String) async throws -> ImportedTicket {
        let ticket = try await http.json("ticket/\(id)")
        guard let created = ticket["Created"]?.string.flatMap(Timestamp.parse) else {
            throw ImportSourceError("ticket \(id) has no creation time", concernsOneRecord: true)
        }
        guard let requester = ticket["Requestor"]?.items.first?["id"]?.nonEmpty ?? ticket["Creator"]?["id"]?.nonEmpty
        else { throw ImportSourceError("ticket \(id) has no requestor", concernsOneRecord: true) }
        var fields: [String: String] = [:]
        for field in ticket["CustomFields"]?.items ?? [] {
            guard let name = field["name"]?.nonEmpty else { continue }
            let values = field["values"]?.items.compactMap(\.nonEmpty) ?? []
            if !values.isEmpty { fields[name] = values.joined(separator: ", ") }
            if let fieldID = field["id"]?.string { fieldNames[fieldID] = name }
        }
        var entries: [ImportedEntry] = []
        let history = try await collection(
            "ticket/\(id)/history",
            [("fields", "Type,Creator,Created,Field,OldValue,NewValue")]
        )
        for transaction in history {
            if let entry = try await entry(transaction) { entries.append(entry) }
        }
        return ImportedTicket(
            sourceID: id,
            title: ticket["Subject"]?.string ?? "",
            requester: requester,
            owner: ticket["Owner"]?["id"]?.nonEmpty.flatMap { Self.systemUsers.contains($0) ? nil : $0 },
            queue: ticket["Queue"]?["id"]?.string,
            status: ticket["Status"]?.string ?? "open",
            priority: ticket["Priority"]?.string,
            createdAt: created,
            updatedAt: ticket["LastUpdated"]?.string.flatMap(Timestamp.parse),
            fields: fields,
            links: Self.links(ticket["_hyperlinks"]?.items ?? []),
            entries: entries.sorted { $0.at < $1.at }
        )
    }

    /// REST2's link relations → Tierdesk's links, both ways.
    static let linkRelations: [String: (TicketLinkKind, incoming: Bool)] = [
        "refers-to": (.refersTo, false), "referred-to-by": (.refersTo, true),
        "depends-on": (.dependsOn, false), "depended-on-by": (.dependsOn, true),
        "member-of": (.partOf, false), "parent": (.partOf, false),
        "has-member": (.partOf, true), "child": (.partOf, true),
    ]

    static func links(_ hyperlinks: [JSONValue]) -> [ImportedLink] {
        var links: [ImportedLink] = []
        for link in hyperlinks {
            guard let relation = link["ref"]?.string, let (kind, incoming) = linkRelations[relation],
                link["type"]?.string == "ticket", let other = link["id"]?.string
            else { continue }
            let imported = ImportedLink(kind: kind, other: other, incoming: incoming)
            if !links.contains(imported) { links.append(imported) }
        }
        return links
    }

    private func entry(_ transaction: JSONValue) async throws -> ImportedEntry? {
        guard let id = transaction["id"]?.string, let type = transaction["Type"]?.string,
            let at = transaction["Created"]?.string.flatMap(Timestamp.parse)
        else { return nil }
        let author = transaction["Creator"]?["id"]?.nonEmpty.flatMap { Self.systemUsers.contains($0) ? nil : $0 }
        let field = transaction["Field"]?.string ?? ""
        let old = transaction["OldValue"]?.nonEmpty
        let new = transaction["NewValue"]?.nonEmpty
        func change(_ change: ImportedEntry.Change) -> ImportedEntry {
            ImportedEntry(sourceID: id, at: at, author: author, change: change)
        }
        switch (type, field) {
        case ("Create", _), ("Correspond", _), ("Comment", _):
            var entry = change(.message(isPublic: type != "Comment"))
            (entry.body, entry.files) = try await content(of: id)
            return entry
        case ("Status", _), ("Set", "Status"):
            return new.map { change(.status(from: old, to: $0)) }
        case (_, "Owner"):
            return change(.owner(from: try await userName(old), to: try await userName(new)))
        case ("Set", "Queue"):
            return change(.queue(from: old, to: new))
        case ("Set", "Subject"):
            return change(.title(from: old, to: new ?? ""))
        case ("Set", "Priority"):
            return change(.priority(from: old, to: new))
        case ("CustomField", _):
            guard old != nil || new != nil else { return nil }
            return change(.field(name: try await fieldName(field), from: old, to: new))
        default:
            return nil
        }
    }

    /// A message's text (its first text part without a file name; HTML reduced to text) and its files.
    private func content(of transaction: String) async throws -> (String?, [ImportedFile]) {
        let parts = try await collection(
            "transaction/\(transaction)/attachments",
            [("fields", "Filename,ContentType,ContentLength,Content")]
        )
        var plain: String?
        var html: String?
        var files: [ImportedFile] = []
        for part in parts {
            let type = (part["ContentType"]?.string ?? "").lowercased()
            if let filename = part["Filename"]?.nonEmpty {
                guard let id = part["id"]?.string else { continue }
                // The collection gives contents as text; one attachment read alone gives them in base64,
                // which keeps binary files whole.
                // One file RT cannot give stops its ticket (reported; the next run tries it again), not the import.
                let single: JSONValue
                do {
                    single = try await http.json("attachment/\(id)")
                } catch let error as ImportSourceError {
                    throw ImportSourceError("attachment \(id): \(error.description)", concernsOneRecord: true)
                }
                let encoded = (single["Content"]?.string ?? "").filter { !$0.isWhitespace }
                guard let data = Data(base64Encoded: encoded) else {
                    throw ImportSourceError(
                        "attachment \(id) of transaction \(transaction) is not base64",
                        concernsOneRecord: true
                    )
                }
                files.append(ImportedFile(filename: filename, contentType: type, data: data))
            } else if type == "text/plain", plain == nil {
                plain = part["Content"]?.string
            } else if type == "text/html", html == nil {
                html = part["Content"]?.string
            }
        }
        return (plain ?? html.map(HTMLText.plain), files)
    }

    /// The user name of RT's numeric user id; nil for nobody.
    private func userName(_ id: String?) async throws -> String? {
        guard let id, id != "0" else { return nil }
        if let name = userNames[id] { return Self.systemUsers.contains(name) ? nil : name }
        let name = try await http.json("user/\(id)")["Name"]?.nonEmpty ?? id
        userNames[id] = name
        return Self.systemUsers.contains(name) ? nil : name
    }

    private func fieldName(_ id: String) async throws -> String {
        if let name = fieldNames[id] { return name }
        let name = try await http.json("customfield/\(id)")["Name"]?.nonEmpty ?? "field_\(id)"
        fieldNames[id] = name
        return name
    }
}
