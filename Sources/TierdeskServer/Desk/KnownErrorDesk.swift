import Foundation
import TierdeskCore
import TierdeskStore

/// Known Error Database use cases for every channel: staff read and search, agents write.
struct KnownErrorDesk: Sendable {
    let clock: any Clock
    let tickets: TicketRepository
    let directory: DirectoryRepository
    let knownErrors: KnownErrorRepository

    func requireReader(_ actor: Actor) throws {
        try TierdeskError.check(AccessPolicy.decide(.viewKnownErrors, by: actor), notFound: "")
    }

    /// The article with this reference (`KE-12`), for staff.
    func article(_ reference: String, for actor: Actor) async throws -> KnownError {
        try requireReader(actor)
        guard let number = KnownError.number(in: reference), let article = try await knownErrors.find(number: number) else {
            throw TierdeskError.notFound("No article \(reference.prefix(40)) exists.")
        }
        return article
    }

    /// Checks an article's content and what it names; returns the draft to store.
    func draft(from input: KnownErrorInputDTO, by actor: Actor) async throws -> KnownErrorDraft {
        try TierdeskError.check(AccessPolicy.decide(.writeKnownErrors, by: actor), notFound: "")
        var draft = KnownErrorDraft(title: input.title, symptom: input.symptom, rootCause: input.rootCause, workaround: input.workaround, fixStatus: input.fixStatus ?? .workaroundOnly, serviceIDs: input.serviceIds ?? [], lowestTier: input.lowestTier ?? .l1)
        var errors: [FieldError] = []
        for (index, id) in draft.serviceIDs.enumerated() where try await directory.service(id) == nil {
            errors.append(FieldError(field: "serviceIds[\(index)]", message: "no service has the id \(id.uuidString)"))
        }
        if let reference = input.problemTicket {
            if let number = TicketReference.number(in: reference), let problem = try await tickets.find(number: number) {
                if problem.type == .problem {
                    draft.problemTicketID = problem.id
                } else {
                    errors.append(FieldError(field: "problemTicket", message: "\(problem.reference) is a \(problem.type.rawValue), not a problem"))
                }
            } else {
                errors.append(FieldError(field: "problemTicket", message: "no ticket is \(reference.prefix(40))"))
            }
        }
        do {
            draft = try draft.validated()
        } catch {
            errors += error.errors
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return draft
    }

    func create(_ input: KnownErrorInputDTO, by actor: Actor) async throws -> KnownError {
        let draft = try await draft(from: input, by: actor)
        return try await knownErrors.create(draft, by: actor.personID, at: clock.now())
    }

    func update(_ reference: String, with input: KnownErrorInputDTO, by actor: Actor) async throws -> KnownError {
        let existing = try await article(reference, for: actor)
        let draft = try await draft(from: input, by: actor)
        guard let article = try await knownErrors.update(number: existing.number, with: draft, at: clock.now()) else {
            throw TierdeskError.notFound("No article \(reference.prefix(40)) exists.")
        }
        return article
    }
}
