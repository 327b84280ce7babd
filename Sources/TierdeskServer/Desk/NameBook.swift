import Foundation
import TierdeskStore

/// Names of the people, organisations and services a page mentions.
struct NameBook: Sendable {
    var people: [UUID: String] = [:]
    var organisations: [UUID: String] = [:]
    var services: [UUID: String] = [:]
    var vendors: [UUID: String] = [:]

    func person(_ id: UUID?) -> String { id.flatMap { people[$0] } ?? (id == nil ? "—" : "someone") }
    func organisation(_ id: UUID) -> String { organisations[id] ?? "—" }
    func service(_ id: UUID?) -> String { id.flatMap { services[$0] } ?? "—" }
}

extension NameBook {
    /// Names of every organisation and service, and of `people`.
    static func load(_ directory: DirectoryRepository, people: Set<UUID>) async throws -> NameBook {
        var book = NameBook()
        book.organisations = try await directory.names(in: .organisations, ids: nil)
        book.services = try await directory.names(in: .services, ids: nil)
        book.people = try await directory.names(in: .people, ids: people)
        return book
    }
}
