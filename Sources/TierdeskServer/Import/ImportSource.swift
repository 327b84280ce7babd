import TierdeskCore

/// Another desk whose records an import reads. Ids are the source's own, as text; the import remembers
/// which record became what under ``name``.
public protocol ImportSource: Sendable {
    /// Names the source in the mapping table, e.g. `rt:rt.example.com`: the same desk imported again
    /// must give the same name.
    var name: String { get }
    /// How a ticket's `importedFrom` attribute names the source, e.g. `RT rt.example.com`.
    var label: String { get }
    var vocabulary: ImportVocabulary { get }
    func organisations() async throws -> [ImportedOrganisation]
    func people() async throws -> [ImportedPerson]
    func queues() async throws -> [ImportedQueue]
    /// The ids of every ticket to import, oldest first.
    func ticketIDs() async throws -> [String]
    func ticket(_ id: String) async throws -> ImportedTicket
}

/// Why an import could not read its source, or one record of it.
public struct ImportSourceError: Error, CustomStringConvertible {
    public var description: String
    /// The record cannot be imported but the rest can (a ticket without a requester); otherwise the source
    /// cannot be read (it refused the token, or stopped answering) and the import stops, to be run again.
    public var concernsOneRecord: Bool

    public init(_ description: String, concernsOneRecord: Bool = false) {
        self.description = description
        self.concernsOneRecord = concernsOneRecord
    }
}
