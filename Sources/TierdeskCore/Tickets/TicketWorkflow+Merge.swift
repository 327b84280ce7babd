import Foundation

extension TicketWorkflow {
    /// What merging two tickets changes on each.
    public struct Merge: Sendable {
        public var duplicate: Ticket
        public var duplicateEvents: [TicketEvent]
        public var survivor: Ticket
        public var survivorEvents: [TicketEvent]
    }

    /// A file of the duplicate, copied to the survivor.
    public struct MergedFile: Sendable, Equatable {
        public var filename: String
        public var uploadedBy: UUID

        public init(filename: String, uploadedBy: UUID) {
            self.filename = filename
            self.uploadedBy = uploadedBy
        }
    }

    /// Merges `duplicate` into `survivor`, which carries on. The duplicate is closed as no fault with an event
    /// naming the survivor; the survivor gets an internal note with the duplicate's request and public
    /// conversation (`conversation`, oldest first, who and when written out, `names` naming the people) and
    /// the duplicate's files. Both must be of one organisation (a merge never shows one customer another's
    /// words), of one requester unless the organisation shares tickets, the survivor open, and the actor
    /// allowed to close the one and write notes on the other.
    public func merge(
        _ duplicate: Ticket,
        scope: TicketScope,
        into survivor: Ticket,
        survivorScope: TicketScope,
        conversation: [TicketEvent],
        files: [MergedFile],
        names: [UUID: String],
        expectedVersion: Int?,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> Merge {
        try Self.authorize(.changeStatus, by: actor, on: scope, duplicate)
        try Self.authorize(.addInternalNote, by: actor, on: survivorScope, survivor)
        if let expectedVersion { try checkVersion(duplicate, expectedVersion) }
        guard duplicate.id != survivor.id else {
            throw .invalid(field: "into", "a ticket cannot be merged into itself")
        }
        guard duplicate.organisationID == survivor.organisationID else {
            throw .invalid(
                field: "into",
                "\(survivor.reference) belongs to another organisation; only tickets of one organisation are merged"
            )
        }
        // The survivor's requester reads what comes over (the files): only one who could read it before.
        guard duplicate.requesterID == survivor.requesterID || scope.organisationSharesTickets else {
            throw .invalid(
                field: "into",
                "\(survivor.reference) has another requester, and their organisation does not share tickets; only one person's tickets are merged there"
            )
        }
        guard survivor.status.isOpen else {
            throw .invalid(
                field: "into",
                "\(survivor.reference) is \(survivor.status.rawValue); merge into an open ticket"
            )
        }
        guard duplicate.status != .closed else {
            throw .invalid(field: "status", "\(duplicate.reference) is closed already")
        }
        var closed = duplicate
        closed.status = .closed
        closed.resolution = .noFault
        closed.updatedAt = now
        closed.version += 1
        let duplicateEvents = [
            TicketEvent(
                ticketID: duplicate.id,
                kind: .fieldChanged,
                actorID: actor.personID,
                at: now,
                field: "mergedInto",
                after: survivor.reference,
                byStaff: actor.isStaff
            ),
            TicketEvent(
                ticketID: duplicate.id,
                kind: .statusChanged,
                actorID: actor.personID,
                at: now,
                field: "status",
                before: duplicate.status.rawValue,
                after: TicketStatus.closed.rawValue,
                body: "Merged into \(survivor.reference).",
                byStaff: actor.isStaff
            ),
        ]
        var next = survivor
        next.updatedAt = now
        var lines = ["Merged \(duplicate.reference) into this ticket: \(duplicate.title)", "", duplicate.description]
        for event in conversation where event.kind == .publicReply {
            let who = event.actorID.flatMap { names[$0] } ?? "someone"
            lines += ["", "— \(who), \(Timestamp.format(event.at)):", event.body ?? ""]
        }
        var note = lines.joined(separator: "\n")
        if note.utf8.count > TextLimits.body {
            note = String(note.utf8.prefix(TextLimits.body - 100)) ?? String(note.prefix(TextLimits.body / 4))
            note += "\n… (cut; the rest is on \(duplicate.reference))"
        }
        var survivorEvents = [
            TicketEvent(
                ticketID: survivor.id,
                kind: .internalNote,
                actorID: actor.personID,
                at: now,
                body: note,
                byStaff: actor.isStaff
            )
        ]
        for file in files {
            survivorEvents.append(
                TicketEvent(
                    ticketID: survivor.id,
                    kind: .attachmentAdded,
                    actorID: file.uploadedBy,
                    at: now,
                    field: "attachment",
                    after: file.filename
                )
            )
        }
        return Merge(
            duplicate: closed,
            duplicateEvents: duplicateEvents,
            survivor: next,
            survivorEvents: survivorEvents
        )
    }
}
