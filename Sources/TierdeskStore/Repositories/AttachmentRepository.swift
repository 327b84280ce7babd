import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// A stored file's description.
public struct AttachmentInfo: Sendable, Equatable, Decodable {
    public var id: UUID
    public var ticketID: UUID
    public var filename: String
    public var contentType: String
    public var size: Int
    public var uploadedBy: UUID
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, filename, size, createdAt
        case ticketID = "ticketId", contentType, uploadedBy
    }
}

/// Files attached to tickets, stored in the database so they commit with the event that announces them.
public struct AttachmentRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Stores a file and its `attachment_added` event in one transaction.
    public func add(ticket: Ticket, filename: String, contentType: String, data: Data, by actor: UUID, at now: Date) async throws -> AttachmentInfo {
        let model = AttachmentModel()
        model.id = UUID()
        model.ticketID = ticket.id
        model.filename = filename
        model.contentType = contentType
        model.size = data.count
        model.data = data
        model.uploadedBy = actor
        model.createdAt = now
        let event = TicketEvent(ticketID: ticket.id, kind: .attachmentAdded, actorID: actor, at: now, field: "attachment", after: filename)
        try await database.write { db in
            try await model.create(on: db)
            try await TicketRepository.insert([event], on: db as! any SQLDatabase)
        }
        return Self.info(model)
    }

    public func list(ticketID: UUID) async throws -> [AttachmentInfo] {
        try await database.sql.select()
            .columns("id", "ticket_id", "filename", "content_type", "size", "uploaded_by", "created_at")
            .from(AttachmentModel.schema).where("ticket_id", .equal, ticketID).orderBy("created_at")
            .all(decoding: AttachmentInfo.self, with: TicketRepository.snakeCaseDecoder)
    }

    /// The file and its description, if it belongs to the ticket.
    public func file(_ id: UUID, ticketID: UUID) async throws -> (AttachmentInfo, Data)? {
        guard let model = try await AttachmentModel.query(on: database.db).filter(\.$id == id).filter(\.$ticketID == ticketID).first() else { return nil }
        return (Self.info(model), model.data)
    }

    private static func info(_ model: AttachmentModel) -> AttachmentInfo {
        AttachmentInfo(id: model.id!, ticketID: model.ticketID, filename: model.filename, contentType: model.contentType, size: model.size, uploadedBy: model.uploadedBy, createdAt: model.createdAt)
    }
}
