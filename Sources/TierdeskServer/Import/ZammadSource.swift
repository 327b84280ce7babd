import Foundation
import TierdeskCore

/// Zammad through its REST API (`/api/v1`), with an API token (`Authorization: Token token=…`).
///
/// - Organisations, users (agents and admins are staff; Zammad's own user 1 is nobody) and groups come over
///   as they are; a ticket's customer is its requester, its owner (unless nobody) its owner.
/// - Articles are the history: internal ones become notes, the others public messages, each with its files.
///   Zammad's article list holds no status changes, so the history ends in the ticket's present status.
/// - Ticket states and priorities are read by name from Zammad (a desk may have renamed or added some).
public actor ZammadSource: ImportSource {
    public nonisolated let name: String
    public nonisolated let label: String
    public nonisolated var vocabulary: ImportVocabulary { .zammad }
    private let http: ImportHTTP
    private var tickets: [String: JSONValue]?
    private var states: [String: String]?
    private var priorities: [String: String]?

    /// Zammad's user 1, which stands for nobody.
    static let nobody = "1"
    /// Zammad's default role ids of admins and agents.
    static let staffRoles: Set<String> = ["1", "2"]
    static let perPage = 100

    public init(url: URL, token: String) {
        http = ImportHTTP(base: url, authorization: "Token token=\(token)")
        let host = url.host ?? "zammad"
        name = "zammad:\(host)\(url.port.map { ":\($0)" } ?? "")"
        label = "Zammad \(host)"
    }

    /// Every item of a list, page by page (a short page ends it).
    private func list(_ path: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var page = 1
        while true {
            let batch = try await http.json(path, query: [("page", String(page)), ("per_page", String(Self.perPage))])
                .items
            items += batch
            if batch.count < Self.perPage { return items }
            page += 1
        }
    }

    public func organisations() async throws -> [ImportedOrganisation] {
        try await list("api/v1/organizations")
            .compactMap { item in
                guard let id = item["id"]?.string, let name = item["name"]?.nonEmpty else { return nil }
                return ImportedOrganisation(
                    sourceID: id,
                    name: name,
                    sharesTickets: item["shared"]?.flag ?? false,
                    createdAt: item["created_at"]?.string.flatMap(Timestamp.parse)
                )
            }
    }

    public func people() async throws -> [ImportedPerson] {
        try await list("api/v1/users")
            .compactMap { item in
                guard let id = item["id"]?.string, id != Self.nobody else { return nil }
                let roles = Set((item["role_ids"]?.items ?? []).compactMap(\.string))
                let name = [item["firstname"]?.nonEmpty, item["lastname"]?.nonEmpty].compactMap { $0 }
                    .joined(separator: " ")
                return ImportedPerson(
                    sourceID: id,
                    email: item["email"]?.nonEmpty,
                    name: name.isEmpty ? item["login"]?.nonEmpty ?? "User \(id)" : name,
                    isStaff: !roles.isDisjoint(with: Self.staffRoles),
                    organisation: item["organization_id"]?.string,
                    active: item["active"]?.flag ?? true,
                    createdAt: item["created_at"]?.string.flatMap(Timestamp.parse)
                )
            }
    }

    public func queues() async throws -> [ImportedQueue] {
        try await list("api/v1/groups")
            .compactMap { item in
                guard let id = item["id"]?.string, let name = item["name"]?.nonEmpty else { return nil }
                return ImportedQueue(sourceID: id, name: name)
            }
    }

    public func ticketIDs() async throws -> [String] {
        let all = try await list("api/v1/tickets")
        var byID: [String: JSONValue] = [:]
        for ticket in all { if let id = ticket["id"]?.string { byID[id] = ticket } }
        tickets = byID
        return byID.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
    }

    /// Id → name of Zammad's states or priorities.
    private func names(_ path: String) async throws -> [String: String] {
        var names: [String: String] = [:]
        for item in try await http.json(path).items {
            if let id = item["id"]?.string, let name = item["name"]?.nonEmpty { names[id] = name }
        }
        return names
    }

    public func ticket(_ id: String) async throws -> ImportedTicket {
        if tickets == nil { _ = try await ticketIDs() }
        guard let ticket = tickets?[id] else {
            throw ImportSourceError("ticket \(id) is not in Zammad's list", concernsOneRecord: true)
        }
        if states == nil { states = try await names("api/v1/ticket_states") }
        if priorities == nil { priorities = try await names("api/v1/ticket_priorities") }
        guard let created = ticket["created_at"]?.string.flatMap(Timestamp.parse),
            let customer = ticket["customer_id"]?.string
        else { throw ImportSourceError("ticket \(id) has no customer or creation time", concernsOneRecord: true) }
        var entries: [ImportedEntry] = []
        for article in try await http.json("api/v1/ticket_articles/by_ticket/\(id)").items {
            guard let articleID = article["id"]?.string,
                let at = article["created_at"]?.string.flatMap(Timestamp.parse)
            else { continue }
            let body = article["body"]?.string ?? ""
            let isHTML = (article["content_type"]?.string ?? "").lowercased().contains("html")
            var files: [ImportedFile] = []
            for attachment in article["attachments"]?.items ?? [] {
                guard let fileID = attachment["id"]?.string else { continue }
                let path = "api/v1/ticket_attachment/\(id)/\(articleID)/\(fileID)"
                let data: Data
                do {
                    data = try await http.data(http.url(path), shown: path)
                } catch let error as ImportSourceError {
                    // One file Zammad cannot give stops its ticket (reported), not the import.
                    throw ImportSourceError(error.description, concernsOneRecord: true)
                }
                files.append(
                    ImportedFile(
                        filename: attachment["filename"]?.nonEmpty ?? "attachment",
                        contentType: attachment["preferences"]?["Content-Type"]?.nonEmpty
                            ?? attachment["preferences"]?["Mime-Type"]?.nonEmpty ?? "application/octet-stream",
                        data: data
                    )
                )
            }
            entries.append(
                ImportedEntry(
                    sourceID: articleID,
                    at: at,
                    author: article["created_by_id"]?.string.flatMap { $0 == Self.nobody ? nil : $0 },
                    change: .message(isPublic: !(article["internal"]?.flag ?? false)),
                    body: isHTML ? HTMLText.plain(body) : body,
                    files: files
                )
            )
        }
        let tags =
            try await http.json("api/v1/tags", query: [("object", "Ticket"), ("o_id", id)])["tags"]?.items
            .compactMap(\.nonEmpty) ?? []
        let owner = ticket["owner_id"]?.string
        return ImportedTicket(
            sourceID: id,
            title: ticket["title"]?.string ?? "",
            requester: customer,
            owner: owner == Self.nobody ? nil : owner,
            queue: ticket["group_id"]?.string,
            status: ticket["state_id"]?.string.flatMap { states?[$0] } ?? ticket["state"]?.nonEmpty ?? "open",
            priority: ticket["priority_id"]?.string.flatMap { priorities?[$0] } ?? ticket["priority"]?.nonEmpty,
            createdAt: created,
            updatedAt: ticket["updated_at"]?.string.flatMap(Timestamp.parse),
            fields: ["zammadNumber": ticket["number"]?.nonEmpty].compactMapValues { $0 },
            tags: tags,
            entries: entries.sorted { $0.at < $1.at }
        )
    }
}
