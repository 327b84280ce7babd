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
        guard let number = KnownError.number(in: reference), let article = try await knownErrors.find(number: number)
        else {
            throw TierdeskError.notFound("No article \(reference.prefix(40)) exists.")
        }
        return article
    }

    /// The newest articles, or those that best match `text`.
    func articles(matching text: String, limit: Int, for actor: Actor) async throws -> [KnownError] {
        try requireReader(actor)
        return text.trimmingWhitespace().isEmpty
            ? try await knownErrors.recent(limit: limit)
            : try await knownErrors.search(text, limit: limit)
    }

    /// Checks an article's content and what it names (the problem ticket by reference, `TD-1042`); returns
    /// the draft to store.
    func checked(_ input: KnownErrorDraft, problemTicket: String?, by actor: Actor) async throws -> KnownErrorDraft {
        try TierdeskError.check(AccessPolicy.decide(.writeKnownErrors, by: actor), notFound: "")
        var draft = input
        var errors: [FieldError] = []
        for (index, id) in draft.serviceIDs.enumerated() where try await directory.service(id) == nil {
            errors.append(FieldError(field: "serviceIds[\(index)]", message: "no service has the id \(id.uuidString)"))
        }
        if let reference = problemTicket {
            if let number = TicketReference.number(in: reference), let problem = try await tickets.find(number: number)
            {
                if problem.type == .problem {
                    draft.problemTicketID = problem.id
                } else {
                    errors.append(
                        FieldError(
                            field: "problemTicket",
                            message: "\(problem.reference) is a \(problem.type.rawValue), not a problem"
                        )
                    )
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

    func create(_ input: KnownErrorDraft, problemTicket: String?, by actor: Actor) async throws -> KnownError {
        let draft = try await checked(input, problemTicket: problemTicket, by: actor)
        return try await knownErrors.create(draft, by: actor.personID, at: clock.now())
    }

    func update(
        _ reference: String,
        with input: KnownErrorDraft,
        problemTicket: String?,
        by actor: Actor
    ) async throws -> KnownError {
        let existing = try await article(reference, for: actor)
        let draft = try await checked(input, problemTicket: problemTicket, by: actor)
        guard let article = try await knownErrors.update(number: existing.number, with: draft, at: clock.now()) else {
            throw TierdeskError.notFound("No article \(reference.prefix(40)) exists.")
        }
        return article
    }

    /// Shows an article to customers in the portal, or stops showing it.
    func setPublic(_ reference: String, _ isPublic: Bool, by actor: Actor) async throws -> KnownError {
        let existing = try await article(reference, for: actor)
        try TierdeskError.check(AccessPolicy.decide(.writeKnownErrors, by: actor), notFound: "")
        guard let article = try await knownErrors.setPublic(number: existing.number, isPublic, at: clock.now()) else {
            throw TierdeskError.notFound("No article \(reference.prefix(40)) exists.")
        }
        return article
    }

    /// The articles customers may read, newest first, or those matching `text`. Anyone signed in may read
    /// them; what a page shows of them is the customer's part (no root cause).
    func publicArticles(matching text: String) async throws -> [KnownError] {
        let all = try await knownErrors.publicArticles()
        let words = TextWords.words(in: String(text.prefix(200))).map(String.init)
        guard !words.isEmpty else { return all }
        return all.filter { article in
            let haystack = TextWords.words(in: article.title + "\n" + article.symptom + "\n" + article.workaround)
                .map(String.init)
            return words.allSatisfy { word in haystack.contains { KnownErrorRepository.sameWord($0, word) } }
        }
    }
}
