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

    /// Stores a file and its `attachment_added` event in one transaction; `forVendor` marks it for that
    /// vendor only (a vendor contact's file).
    public func add(
        ticket: Ticket,
        filename: String,
        contentType: String,
        data: Data,
        by actor: UUID,
        at now: Date,
        forVendor: UUID? = nil
    ) async throws -> AttachmentInfo {
        try await database.write { db in
            let sql = db as! any SQLDatabase
            let (stored, events) = try await Self.insert(
                [NewAttachment(filename: filename, contentType: contentType, data: data)],
                ticketID: ticket.id,
                by: actor,
                at: now,
                on: sql
            )
            try await TicketRepository.insert(events, on: sql)
            if let forVendor {
                try await Self.markForVendor(
                    [stored[0].id],
                    vendor: forVendor,
                    vendorOnly: true,
                    ticketID: ticket.id,
                    by: actor,
                    at: now,
                    on: sql
                )
            }
            return stored[0]
        }
    }

    /// Inserts files inside a write; returns them and their `attachment_added` events, which the caller stores
    /// with the rest of the write's events.
    static func insert(_ files: [NewAttachment], ticketID: UUID, by actor: UUID, at now: Date, on sql: any SQLDatabase)
        async throws -> ([AttachmentInfo], [TicketEvent])
    {
        let stored = try await insert(
            files.map {
                StoredFile(
                    filename: $0.filename,
                    contentType: $0.contentType,
                    data: $0.data,
                    uploadedBy: actor,
                    createdAt: now
                )
            },
            ticketID: ticketID,
            on: sql
        )
        return (
            stored,
            stored.map {
                TicketEvent(
                    ticketID: ticketID,
                    kind: .attachmentAdded,
                    actorID: actor,
                    at: now,
                    field: "attachment",
                    after: $0.filename
                )
            }
        )
    }

    /// A file as stored, with who added it and when.
    struct StoredFile {
        var filename: String
        var contentType: String
        var data: Data
        var uploadedBy: UUID
        var createdAt: Date
    }

    /// Inserts file rows inside a write, in one statement; their events are the caller's.
    static func insert(_ files: [StoredFile], ticketID: UUID, on sql: any SQLDatabase) async throws -> [AttachmentInfo]
    {
        guard !files.isEmpty else { return [] }
        let stored = files.map {
            AttachmentInfo(
                id: UUID.timeOrdered(),
                ticketID: ticketID,
                filename: $0.filename,
                contentType: $0.contentType,
                size: $0.data.count,
                uploadedBy: $0.uploadedBy,
                createdAt: $0.createdAt
            )
        }
        let insert = sql.insert(into: AttachmentModel.schema)
            .columns("id", "ticket_id", "filename", "content_type", "size", "data", "uploaded_by", "created_at")
        for (info, file) in zip(stored, files) {
            insert.values(
                SQLBind(info.id),
                SQLBind(ticketID),
                SQLBind(info.filename),
                SQLBind(info.contentType),
                SQLBind(info.size),
                SQLBind(file.data),
                SQLBind(info.uploadedBy),
                SQLBind(info.createdAt)
            )
        }
        try await insert.run()
        return stored
    }

    /// A ticket's files (without their bytes) inside a write, oldest first.
    static func infos(ticketID: UUID, on sql: any SQLDatabase) async throws -> [AttachmentInfo] {
        try await sql.select()
            .columns("id", "ticket_id", "filename", "content_type", "size", "uploaded_by", "created_at")
            .from(AttachmentModel.schema).where("ticket_id", .equal, ticketID).orderBy("created_at")
            .all(decoding: AttachmentInfo.self, with: TicketRepository.snakeCaseDecoder)
    }

    /// Copies files to another ticket inside a write, bytes and all, each under a new id, dated `at`.
    static func copy(_ files: [AttachmentInfo], to ticketID: UUID, at: Date, on sql: any SQLDatabase) async throws {
        for file in files {
            try await sql.raw(
                """
                INSERT INTO attachments (id, ticket_id, filename, content_type, size, data, uploaded_by, created_at)
                SELECT \(bind: UUID.timeOrdered()), \(bind: ticketID), filename, content_type, size, data, uploaded_by, \(bind: at)
                FROM attachments WHERE id = \(bind: file.id)
                """
            )
            .run()
        }
    }

    public func list(ticketID: UUID) async throws -> [AttachmentInfo] {
        try await Self.infos(ticketID: ticketID, on: database.sql)
    }

    /// The file and its description, if it belongs to the ticket.
    public func file(_ id: UUID, ticketID: UUID) async throws -> (AttachmentInfo, Data)? {
        guard
            let model = try await AttachmentModel.query(on: database.db).filter(\.$id == id)
                .filter(\.$ticketID == ticketID).first()
        else { return nil }
        return (Self.info(model), model.data)
    }

    private static func info(_ model: AttachmentModel) -> AttachmentInfo {
        AttachmentInfo(
            id: model.id!,
            ticketID: model.ticketID,
            filename: model.filename,
            contentType: model.contentType,
            size: model.size,
            uploadedBy: model.uploadedBy,
            createdAt: model.createdAt
        )
    }
}

/// Files that stand with a ticket's vendor (``M038_CreateVendorFiles``).
extension AttachmentRepository {
    /// How the ticket's files stand with a vendor; files without a mark are the ticket's ordinary files.
    public func vendorMarks(ticketID: UUID) async throws -> [UUID: TicketAudience.FileMark] {
        try await Self.vendorMarks(ticketID: ticketID, on: database.sql)
    }

    static func vendorMarks(ticketID: UUID, on sql: any SQLDatabase) async throws -> [UUID: TicketAudience.FileMark] {
        var marks: [UUID: TicketAudience.FileMark] = [:]
        for row in try await sql.select().columns("attachment_id", "vendor_id", "vendor_only").from("vendor_files")
            .where("ticket_id", .equal, SQLBind(ticketID)).all()
        {
            marks[try row.decode(column: "attachment_id", as: UUID.self)] = TicketAudience.FileMark(
                vendorID: try row.decode(column: "vendor_id", as: UUID.self),
                vendorOnly: try row.decode(column: "vendor_only", as: Bool.self)
            )
        }
        return marks
    }

    /// Marks files of the ticket for `vendor`, inside a ticket write: shared with it, or for it only. Files
    /// already marked, or of another ticket, are skipped.
    static func markForVendor(
        _ ids: Set<UUID>,
        vendor: UUID,
        vendorOnly: Bool,
        ticketID: UUID,
        by person: UUID,
        at now: Date,
        on sql: any SQLDatabase
    ) async throws {
        guard !ids.isEmpty else { return }
        let own = try await sql.select().column("id").from("attachments")
            .where("ticket_id", .equal, SQLBind(ticketID)).where("id", .in, SQLBind.group(Array(ids)))
            .all(decodingColumn: "id", as: UUID.self)
        guard !own.isEmpty else { return }
        let insert = sql.insert(into: "vendor_files")
            .columns("attachment_id", "ticket_id", "vendor_id", "shared_by", "shared_at", "vendor_only")
        for id in own {
            insert.values(
                SQLBind(id),
                SQLBind(ticketID),
                SQLBind(vendor),
                SQLBind(person),
                SQLBind(now),
                SQLBind(vendorOnly)
            )
        }
        try await insert.ignoringConflicts(with: "attachment_id").run()
    }
}
