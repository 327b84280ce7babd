import Foundation
import TierdeskCore
import TierdeskStore

/// Working a ticket together: who else has it open, and what others did while a page stood open.
extension TicketDesk {
    /// Someone else on a ticket, by name.
    struct Colleague: Sendable, Equatable {
        var name: String
        var state: TicketPresence.State
        var seenAt: Date
    }

    /// Records that `actor` has the ticket open (``TicketPresence/State``) and returns the others who do.
    func markPresence(_ ticket: Ticket, state: TicketPresence.State, by actor: Actor) async throws -> [Colleague] {
        let present = try await tickets.markPresence(
            ticketID: ticket.id,
            personID: actor.personID,
            state: state,
            at: now
        )
        let names = Dictionary(
            try await directory.people(ids: Set(present.map(\.personID))).map { ($0.id, $0.name) },
            uniquingKeysWith: { first, _ in first }
        )
        return present.compactMap { presence in
            names[presence.personID].map { Colleague(name: $0, state: presence.state, seenAt: presence.seenAt) }
        }
    }

    /// Where the ticket's history stands: a page sends it back with its forms (`seen`), so a change made from
    /// it can be checked against what others did since (``changesSince(_:seq:for:)``).
    /// Read before the history itself, so nothing shown can be newer than the mark.
    func historyMark(_ reference: String, for actor: Actor) async throws -> Int64 {
        let (ticket, _) = try await ticket(reference, for: actor)
        return try await tickets.newestEventSeq(ticketID: ticket.id)
    }

    /// What others did to the ticket after the history stood at `seq` and the caller may see: replies,
    /// notes, and changes of status, owner, tier or fields. Files and the desk's own alarms do not count.
    func changesSince(_ reference: String, seq: Int64, for actor: Actor) async throws -> [TicketEvent] {
        let (ticket, scope) = try await ticket(reference, for: actor)
        let includeInternal = AccessPolicy.allows(.viewInternalNotes, by: actor, on: scope)
        let counted: Set<TicketEventKind> = [
            .publicReply, .internalNote, .statusChanged, .assigned, .tierChanged, .fieldChanged, .escalated,
            .deescalated, .knownErrorApplied,
        ]
        let events = try await tickets.events(ticketID: ticket.id, after: seq, includeInternal: includeInternal)
            .filter {
                (counted.contains($0.kind) || $0.kind == .vendorMessage) && $0.actorID != nil
                    && $0.actorID != actor.personID
            }
        return try await visible(events, to: TicketAudience.of(actor))
    }

    /// A sentence on others' changes for a refused form: "Ben Fischer replied: “…”".
    func describe(_ changes: [TicketEvent]) async throws -> String {
        var parts: [String] = []
        for change in changes.suffix(3) {
            let name = try await change.actorID.asyncFlatMap { try await directory.person($0)?.name }
            var part = "\(name ?? "Someone") \(LiveEvent.label(change.kind))"
            if let body = change.body?.trimmingWhitespace(), !body.isEmpty {
                let line = body.split(separator: "\n").first.map(String.init) ?? body
                part += ": “\(line.prefix(200))\(line.count > 200 ? "…" : "")”"
            } else if change.kind == .statusChanged, let after = change.after {
                part += " to \(after.replacingOccurrences(of: "_", with: " "))"
            }
            parts.append(part)
        }
        let more = changes.count > 3 ? " (and \(changes.count - 3) more)" : ""
        return parts.joined(separator: "; ") + more
    }
}
