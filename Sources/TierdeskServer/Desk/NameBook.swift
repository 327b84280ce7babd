import Foundation

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
