import Foundation
import TierdeskCore
import TierdeskStore

/// One change to many tickets at once, chosen in a queue.
extension TicketDesk {
    enum BulkAction: Sendable, Equatable {
        case assignToMe
        case status(TicketStatus)
        case priority(Priority)
        /// Every other selected ticket is merged into the oldest selected one.
        case mergeIntoOldest
    }

    /// What a bulk change did: the tickets changed, those already so, and each refused one with the reason.
    struct BulkOutcome: Sendable {
        var changed: [String] = []
        var unchanged: [String] = []
        var refused: [(reference: String, reason: String)] = []
    }

    /// The most tickets one bulk change takes.
    static let maxBulk = 100

    /// Applies `action` to each ticket in turn, each change its own transaction with the ticket's version as
    /// read just before, through the same checks as one ticket's page; a refusal stops only its ticket.
    func bulk(_ references: [String], _ action: BulkAction, by actor: Actor) async throws -> BulkOutcome {
        let numbers = Array(Set(references.compactMap(TicketReference.number(in:)))).sorted()
        guard !numbers.isEmpty else { throw TierdeskError.invalid(field: "tickets", "choose at least one ticket") }
        guard numbers.count <= Self.maxBulk else {
            throw TierdeskError.invalid(field: "tickets", "choose at most \(Self.maxBulk) tickets at once")
        }
        var outcome = BulkOutcome()
        let chosen = numbers.map(TicketReference.format)
        if action == .mergeIntoOldest {
            guard chosen.count >= 2 else {
                throw TierdeskError.invalid(field: "tickets", "choose two tickets or more to merge")
            }
            let survivor = chosen[0]
            for reference in chosen.dropFirst() {
                do {
                    _ = try await merge(reference, into: survivor, expectedVersion: nil, by: actor)
                    outcome.changed.append(reference)
                } catch let error as TierdeskError {
                    outcome.refused.append((reference, error.reason))
                }
            }
            return outcome
        }
        let matrix = try await priorityMatrix.value(at: now)
        for reference in chosen {
            do {
                let (ticket, _) = try await ticket(reference, for: actor)
                switch action {
                case .assignToMe where ticket.ownerID == actor.personID,
                    .status(ticket.status),
                    .priority(ticket.priority):
                    outcome.unchanged.append(reference)
                    continue
                case .priority(let priority) where matrix.levels(for: priority) == (ticket.impact, ticket.urgency):
                    // Its impact and urgency give that priority already: the priority was set another way (a
                    // workaround lowered it), and only its own page changes it back.
                    outcome.refused.append(
                        (
                            reference,
                            "its priority \(ticket.priority.rawValue) was set apart from its impact and urgency; change it on its page"
                        )
                    )
                    continue
                case .assignToMe:
                    var changes = TicketChanges()
                    changes.ownerID = .some(actor.personID)
                    _ = try await update(reference, with: changes, expectedVersion: ticket.version, by: actor)
                case .status(let status):
                    _ = try await changeStatus(
                        reference,
                        to: status,
                        comment: nil,
                        expectedVersion: ticket.version,
                        by: actor
                    )
                case .priority(let priority):
                    var changes = TicketChanges()
                    (changes.impact, changes.urgency) = matrix.levels(for: priority)
                    _ = try await update(reference, with: changes, expectedVersion: ticket.version, by: actor)
                case .mergeIntoOldest:
                    break
                }
                outcome.changed.append(reference)
            } catch let error as TierdeskError {
                outcome.refused.append((reference, error.reason))
            }
        }
        return outcome
    }
}
