import FluentKit
import Foundation
import SQLKit
import TierdeskCore

extension TicketRepository {
    /// What a merge reads before it decides: both tickets with their scopes, the duplicate's history and files.
    public struct MergeSides: Sendable {
        public var duplicate: Ticket
        public var duplicateScope: TicketScope
        public var survivor: Ticket
        public var survivorScope: TicketScope
        public var history: [TicketEvent]
        public var files: [AttachmentInfo]
    }

    /// Merges ticket `duplicate` into `survivor` in one transaction: both rows are locked (the lower number
    /// first, so two merges cannot wait on each other), `decide` gets what ``MergeSides`` holds and returns
    /// both tickets' new states and events; the duplicate's files are copied to the survivor and a
    /// `duplicate_of` link is stored. Mail that answers the duplicate then goes to the survivor
    /// (``survivor(of:)``).
    public func merge(
        duplicate: Int,
        into survivor: Int,
        effects: TicketWriteEffects,
        _ decide: @escaping @Sendable (MergeSides) throws -> TicketWorkflow.Merge
    ) async throws -> TicketWorkflow.Merge {
        for number in [duplicate, survivor] { database.ticketCache?.remove(number) }
        defer { for number in [duplicate, survivor] { database.ticketCache?.remove(number) } }
        let (merge, mailed) = try await database.write { db -> (TicketWorkflow.Merge, Bool) in
            let sql = db as! any SQLDatabase
            var found: [Int: (Ticket, TicketScope)] = [:]
            for number in [duplicate, survivor].sorted() {
                guard let pair = try await Self.findScoped(number: number, on: sql, lock: true) else {
                    throw TierdeskError.notFound("No ticket \(TicketReference.format(number)).")
                }
                found[number] = pair
            }
            let (dup, dupScope) = found[duplicate]!
            let (surv, survScope) = found[survivor]!
            // Files for the vendor only stay with the duplicate's vendor thread: the survivor's customer
            // would read them.
            let forVendorOnly = try await AttachmentRepository.vendorMarks(ticketID: dup.id, on: sql)
                .filter(\.value.vendorOnly).keys
            let files = try await AttachmentRepository.infos(ticketID: dup.id, on: sql)
                .filter { !forVendorOnly.contains($0.id) }
            let merge = try decide(
                MergeSides(
                    duplicate: dup,
                    duplicateScope: dupScope,
                    survivor: surv,
                    survivorScope: survScope,
                    history: try await Self.events(ticketID: dup.id, includeInternal: true, on: sql),
                    files: files
                )
            )
            let (_, first) = try await Self.modify(number: duplicate, effects: effects, extras: .none, on: sql) {
                _,
                _ in
                (merge.duplicate, merge.duplicateEvents)
            }
            try await AttachmentRepository.copy(files, to: surv.id, at: merge.survivorEvents[0].at, on: sql)
            let (_, second) = try await Self.modify(number: survivor, effects: effects, extras: .none, on: sql) {
                _,
                _ in
                (merge.survivor, merge.survivorEvents)
            }
            _ = try await Self.insertLink(
                TicketLink(
                    ticketID: dup.id,
                    kind: .duplicateOf,
                    targetID: surv.id,
                    createdAt: merge.survivorEvents[0].at
                ),
                on: sql
            )
            return (merge, first || second)
        }
        if mailed { effects.queued() }
        return merge
    }

    /// The ticket a merged ticket carries on in (following merges of merges), or `number` itself.
    public func survivor(of number: Int) async throws -> Int {
        var current = number
        for _ in 0..<10 {
            let next = try await database.sql.select().column(SQLColumn("number", table: "s"))
                .from(SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("d")))
                .join(
                    SQLAlias(SQLIdentifier("ticket_links"), as: SQLIdentifier("l")),
                    on: SQLColumn("ticket_id", table: "l"),
                    .equal,
                    SQLColumn("id", table: "d")
                )
                .join(
                    SQLAlias(SQLIdentifier("tickets"), as: SQLIdentifier("s")),
                    on: SQLColumn("id", table: "s"),
                    .equal,
                    SQLColumn("target_id", table: "l")
                )
                .where(SQLColumn("number", table: "d"), .equal, SQLBind(current))
                .where(SQLColumn("kind", table: "l"), .equal, SQLBind(TicketLinkKind.duplicateOf.rawValue))
                .first(decodingColumn: "number", as: Int.self)
            guard let next else { return current }
            current = next
        }
        return current
    }
}
