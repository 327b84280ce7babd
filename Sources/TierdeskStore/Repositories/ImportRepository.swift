import FluentKit
import Foundation
import SQLKit
import TierdeskCore

/// The kinds of record an import maps (``M030_CreateImportMappings``).
public enum ImportKind: String, Sendable, CaseIterable {
    case organisation, person, ticket
}

/// Stores what an import brings over and remembers, per source, which record became what, so an import
/// run again or after an interruption skips what it already stored.
public struct ImportRepository: Sendable {
    let database: TierdeskDatabase

    public init(_ database: TierdeskDatabase) {
        self.database = database
    }

    /// Source id → Tierdesk id of every record of `kind` imported from `source`.
    public func mappings(source: String, kind: ImportKind) async throws -> [String: UUID] {
        var mappings: [String: UUID] = [:]
        for row in try await database.sql.select().columns("source_id", "target_id").from("import_mappings")
            .where("source", .equal, source).where("kind", .equal, kind.rawValue).all()
        {
            mappings[try row.decode(column: "source_id", as: String.self)] = try row.decode(
                column: "target_id",
                as: UUID.self
            )
        }
        return mappings
    }

    /// Remembers that a directory record (an organisation, person or group, which the desk also finds by
    /// name or address) was imported as `target`; a second mapping of the same record changes nothing.
    public func remember(source: String, kind: ImportKind, sourceID: String, target: UUID, at now: Date) async throws {
        try await database.write { db in
            try await Self.remember(source, kind, sourceID, target, now, on: db as! any SQLDatabase)
        }
    }

    private static func remember(
        _ source: String,
        _ kind: ImportKind,
        _ sourceID: String,
        _ target: UUID,
        _ now: Date,
        on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "import_mappings")
            .columns("source", "kind", "source_id", "target_id", "imported_at")
            .values(SQLBind(source), SQLBind(kind.rawValue), SQLBind(sourceID), SQLBind(target), SQLBind(now))
            .ignoringConflicts(with: ["source", "kind", "source_id"]).run()
    }

    /// Stores one imported ticket in one transaction: the next reference number (passed to `build`), the
    /// ticket with its events, files and SLA alarms, and its mapping. Returns nil, storing nothing, when
    /// another run imported the same source ticket meanwhile. Alarms whose moment passed before `now`
    /// count as fired then: they belong to the other desk's past, so nobody is notified of them. Nothing
    /// is mailed, paged or sent.
    public func storeTicket(
        source: String,
        sourceID: String,
        at now: Date,
        planner: any SLAPlanner,
        build: @escaping @Sendable (Int) -> ConvertedTicket
    ) async throws -> ConvertedTicket? {
        let stored = try await database.write { db -> ConvertedTicket? in
            let sql = db as! any SQLDatabase
            guard
                let last = try await sql.select().column("value").from("counters").where("name", .equal, "ticket")
                    .lockingClause(SQLLockingClause.update).first(decodingColumn: "value", as: Int.self)
            else { throw TierdeskError.conflict("The ticket counter is missing; run the migrations.") }
            let taken = try await sql.select().column("target_id").from("import_mappings")
                .where("source", .equal, source).where("kind", .equal, ImportKind.ticket.rawValue)
                .where("source_id", .equal, sourceID).first()
            guard taken == nil else { return nil }
            var converted = build(last + 1)
            let plan = planner.plan(for: converted.ticket, history: converted.events)
            converted.ticket.nextDeadline = plan.nextDeadline
            try await sql.update("counters").set("value", to: SQLBind(last + 1)).where("name", .equal, "ticket").run()
            try await TicketRepository.insert([TicketRow(converted.ticket)], on: sql)
            try await TicketRepository.insert(converted.events, on: sql)
            try await AttachmentRepository.insert(
                converted.files.map {
                    AttachmentRepository.StoredFile(
                        filename: $0.filename,
                        contentType: $0.contentType,
                        data: $0.data,
                        uploadedBy: $0.by,
                        createdAt: $0.at
                    )
                },
                ticketID: converted.ticket.id,
                on: sql
            )
            if converted.ticket.status.isOpen {
                try await SLAAlarmRepository.insertImported(
                    ticketID: converted.ticket.id,
                    alarms: plan.alarms,
                    passedAt: now,
                    on: sql
                )
            }
            try await Self.remember(source, .ticket, sourceID, converted.ticket.id, now, on: sql)
            return converted
        }
        database.ticketCache?.removeAll()
        return stored
    }

    /// Stores links between imported tickets; a link stored before is left as it is. Returns how many
    /// were new.
    public func storeLinks(_ links: [TicketLink]) async throws -> Int {
        guard !links.isEmpty else { return 0 }
        return try await database.write { db in
            let sql = db as! any SQLDatabase
            var added = 0
            for link in links where try await TicketRepository.insertLink(link, on: sql) { added += 1 }
            return added
        }
    }
}
