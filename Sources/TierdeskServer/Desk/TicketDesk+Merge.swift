import Foundation
import TierdeskCore
import TierdeskStore

/// Merging duplicates: one ticket carries on, the other is closed and points to it.
extension TicketDesk {
    /// Merges `reference` into `target` (``TicketWorkflow/merge(_:scope:into:survivorScope:conversation:files:names:expectedVersion:by:at:)``);
    /// `expectedVersion` is the duplicate's version the caller saw, when it has one.
    func merge(_ reference: String, into target: String, expectedVersion: Int?, by actor: Actor) async throws
        -> TicketWorkflow.Merge
    {
        guard let duplicate = TicketReference.number(in: reference) else {
            throw TierdeskError.notFound(Self.notFound(reference))
        }
        guard let survivor = TicketReference.number(in: target) else {
            throw TierdeskError.invalid(field: "into", "is not a ticket reference such as TD-1042")
        }
        // Both must be visible before anything is read on the caller's behalf.
        let (_, _, history) = try await events(reference, for: actor)
        _ = try await ticket(TicketReference.format(survivor), for: actor)
        let names = Dictionary(
            try await directory.people(ids: Set(history.compactMap(\.actorID))).map { ($0.id, $0.name) },
            uniquingKeysWith: { first, _ in first }
        )
        try await sla.refresh(at: now)
        let now = now
        let merge = try await tickets.merge(duplicate: duplicate, into: survivor, effects: ticketEffects) { sides in
            try TicketWorkflow()
                .merge(
                    sides.duplicate,
                    scope: sides.duplicateScope,
                    into: sides.survivor,
                    survivorScope: sides.survivorScope,
                    conversation: sides.history,
                    files: sides.files.map {
                        TicketWorkflow.MergedFile(filename: $0.filename, uploadedBy: $0.uploadedBy)
                    },
                    names: names,
                    expectedVersion: expectedVersion,
                    by: actor,
                    at: now
                )
        }
        slaWakeUps.signal()
        return merge
    }
}
