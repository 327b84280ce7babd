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
        for organisation in try await directory.organisations() {
            book.organisations[organisation.id] = organisation.name
        }
        for service in try await directory.services() { book.services[service.id] = service.name }
        for person in try await directory.people(ids: people) { book.people[person.id] = person.name }
        return book
    }
}
