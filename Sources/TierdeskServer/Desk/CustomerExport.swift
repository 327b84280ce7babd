import Foundation
import TierdeskCore
import TierdeskStore

/// A customer organisation's data for a data request: the organisation, its people, its tickets with the
/// history its requesters can see (no internal notes) and their files, written as JSON and files into a
/// new folder. The export shows what the organisation's requesters may see, nothing of other customers.
public struct CustomerExport: Sendable {
    let directory: DirectoryRepository
    let tickets: TicketRepository
    let attachments: AttachmentRepository

    /// What was written.
    public struct Result: Sendable, Equatable {
        public var tickets: Int
        public var events: Int
        public var files: Int
        public var bytes: Int
    }

    /// One ticket in `tickets.json`.
    struct TicketRecord: Encodable {
        struct File: Encodable {
            var id: UUID
            var filename: String
            var contentType: String
            var size: Int
            /// Where the file is, relative to the export's folder.
            var path: String
        }
        var ticket: TicketDTO
        var events: [EventDTO]
        var files: [File]
    }

    /// Tickets read per page.
    static let page = 200

    /// Writes the export of the organisation named `name` into `folder`, which must not exist or be empty.
    public func write(organisationNamed name: String, to folder: URL) async throws -> Result {
        let organisations = try await directory.organisations()
        guard let organisation = organisations.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw TierdeskError.notFound(
                "No organisation \(name.prefix(100)); there are: \(organisations.map(\.name).sorted().joined(separator: ", "))."
            )
        }
        let files = FileManager.default
        if files.fileExists(atPath: folder.path),
            !(try files.contentsOfDirectory(atPath: folder.path)).isEmpty
        {
            throw TierdeskError.conflict("\(folder.path) is not empty; an export goes into a new or empty folder.")
        }
        try files.createDirectory(at: folder.appendingPathComponent("files"), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(OrganisationDTO(organisation)).write(to: folder.appendingPathComponent("organisation.json"))
        let people = try await directory.people().filter { $0.organisationID == organisation.id }
        try encoder.encode(people.map(PersonDTO.init)).write(to: folder.appendingPathComponent("people.json"))
        var result = Result(tickets: 0, events: 0, files: 0, bytes: 0)
        var records: [(number: Int, record: TicketRecord)] = []
        var query = TicketQuery()
        query.organisationID = organisation.id
        query.limit = Self.page
        while true {
            let found = try await tickets.list(query, visibility: .all)
            for ticket in found {
                // What the customer reads (``TicketAudience``): no vendor thread, no file for the vendor only.
                let marks = try await attachments.vendorMarks(ticketID: ticket.id)
                let stored = try await attachments.list(ticketID: ticket.id)
                let vendorOnly = AttachmentInfo.vendorOnly(stored, marks: marks)
                let events = TicketAudience.customer.visible(
                    try await tickets.events(ticketID: ticket.id, includeInternal: false),
                    vendorOnlyFiles: vendorOnly
                )
                var written: [TicketRecord.File] = []
                for info in stored where TicketAudience.customer.sees(file: marks[info.id]) {
                    guard let (_, data) = try await attachments.file(info.id, ticketID: ticket.id) else { continue }
                    let name = FileName.cleaned(info.filename).map { String($0.prefix(100)) } ?? "file"
                    let path = "files/\(ticket.reference)/\(info.id.uuidString.lowercased())-\(name)"
                    let url = folder.appendingPathComponent(path)
                    try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: url)
                    written.append(
                        .init(
                            id: info.id,
                            filename: info.filename,
                            contentType: info.contentType,
                            size: data.count,
                            path: path
                        )
                    )
                    result.files += 1
                    result.bytes += data.count
                }
                records.append(
                    (
                        ticket.number,
                        TicketRecord(
                            ticket: TicketDTO(ticket),
                            events: events.map { EventDTO($0, reference: ticket.reference) },
                            files: written
                        )
                    )
                )
                result.tickets += 1
                result.events += events.count
            }
            guard found.count == Self.page, let last = found.last else { break }
            query.beforeNumber = last.number
        }
        try encoder.encode(records.sorted { $0.number < $1.number }.map(\.record))
            .write(to: folder.appendingPathComponent("tickets.json"))
        return result
    }
}
