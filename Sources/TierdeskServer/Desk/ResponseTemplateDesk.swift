import Foundation
import TierdeskCore
import TierdeskStore

/// Canned responses and macros for every channel that offers them (the console today): who may keep which,
/// filling their placeholders from a ticket, and applying a macro.
struct ResponseTemplateDesk: Sendable {
    let clock: any Clock
    let templates: ResponseTemplateRepository
    let directory: DirectoryRepository
    let ticketDesk: TicketDesk

    /// The templates `actor` may use: the shared ones and their own.
    func available(to actor: Actor) async throws -> [ResponseTemplate] {
        try TierdeskError.check(AccessPolicy.decide(.useResponseTemplates, by: actor), notFound: "")
        return try await templates.available(to: actor.personID)
    }

    /// Whether `actor` may keep shared templates.
    func managesShared(_ actor: Actor) -> Bool {
        AccessPolicy.allows(.manageSharedTemplates, by: actor)
    }

    /// Stores a new template, personal or (for managers and admins) shared; every problem is named.
    func create(
        name: String,
        body: String,
        shared: Bool,
        status: TicketStatus?,
        group: String?,
        assignToMe: Bool,
        by actor: Actor
    ) async throws -> ResponseTemplate {
        try TierdeskError.check(
            AccessPolicy.decide(shared ? .manageSharedTemplates : .useResponseTemplates, by: actor),
            notFound: ""
        )
        let group = group.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        do {
            try ResponseTemplate.validate(name: name, body: body, status: status, group: group)
        } catch {
            throw TierdeskError.invalid(error)
        }
        let template = ResponseTemplate(
            id: UUID.timeOrdered(),
            name: name.trimmingWhitespace(),
            body: body,
            ownerID: shared ? nil : actor.personID,
            status: status,
            group: group,
            assignToMe: assignToMe,
            createdAt: clock.now()
        )
        try await templates.save(template)
        return template
    }

    /// Removes a template its owner, or for a shared one a manager or admin, no longer wants.
    func delete(_ id: UUID, by actor: Actor) async throws {
        let template = try await usable(id, by: actor)
        if template.ownerID == nil {
            try TierdeskError.check(AccessPolicy.decide(.manageSharedTemplates, by: actor), notFound: "")
        }
        _ = try await templates.delete(id)
    }

    /// A template `actor` may use; another agent's personal template is not found, as if it did not exist.
    func usable(_ id: UUID, by actor: Actor) async throws -> ResponseTemplate {
        try TierdeskError.check(AccessPolicy.decide(.useResponseTemplates, by: actor), notFound: "")
        guard let template = try await templates.find(id), template.ownerID == nil || template.ownerID == actor.personID
        else { throw TierdeskError.notFound("No such canned response.") }
        return template
    }

    /// The template's text for a ticket `actor` may see, its placeholders filled.
    func text(_ id: UUID, for reference: String, by actor: Actor) async throws -> String {
        let template = try await usable(id, by: actor)
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        return try await fill(template, for: ticket, by: actor)
    }

    /// The template's text with the placeholders filled from a ticket already read for `actor`.
    private func fill(_ template: ResponseTemplate, for ticket: Ticket, by actor: Actor) async throws -> String {
        let people = Dictionary(
            try await directory.people(ids: [ticket.requesterID, actor.personID]).map { ($0.id, $0.name) },
            uniquingKeysWith: { first, _ in first }
        )
        let organisation = try await directory.organisation(ticket.organisationID)
        return TemplateText.fill(
            template.body,
            with: TemplateText.Values(
                requester: people[ticket.requesterID] ?? "",
                organisation: organisation?.name ?? "",
                reference: ticket.reference,
                title: ticket.title,
                agent: people[actor.personID] ?? ""
            )
        )
    }

    /// Applies a macro: the ticket's group and owner first, then its status, then the filled reply. The
    /// permissions, the status move and the reply's text are checked before anything is written, so those
    /// refusals change nothing; the steps are separate writes, and a change by someone else between them can
    /// still stop a later one (the page then shows it). A template without actions only replies.
    func apply(_ id: UUID, to reference: String, by actor: Actor) async throws {
        let template = try await usable(id, by: actor)
        let (ticket, scope) = try await ticketDesk.ticket(reference, for: actor)
        let body = try await fill(template, for: ticket, by: actor)
        try TierdeskError.check(AccessPolicy.decide(.replyPublicly, by: actor, on: scope), notFound: reference)
        var errors: [FieldError] = []
        _ = TextLimits.body(body, field: "body", errors: &errors)
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        if template.group != nil || template.assignToMe {
            try TierdeskError.check(AccessPolicy.decide(.assignTicket, by: actor, on: scope), notFound: reference)
        }
        if let status = template.status, status != ticket.status {
            try TierdeskError.check(AccessPolicy.decide(.changeStatus, by: actor, on: scope), notFound: reference)
            guard ticket.status.canMove(to: status) else {
                throw TierdeskError.conflict(
                    "\(template.name) sets the status to \(status.rawValue), which a \(ticket.status.rawValue) ticket cannot move to."
                )
            }
        }
        var version = ticket.version
        if template.group != nil || template.assignToMe {
            var changes = TicketChanges()
            if let group = template.group { changes.group = .some(group) }
            if template.assignToMe { changes.ownerID = .some(actor.personID) }
            version = try await ticketDesk.update(reference, with: changes, expectedVersion: version, by: actor).version
        }
        if let status = template.status, status != ticket.status {
            _ = try await ticketDesk.changeStatus(
                reference,
                to: status,
                comment: nil,
                expectedVersion: version,
                by: actor
            )
        }
        _ = try await ticketDesk.addMessage(reference, body: body, isInternal: false, by: actor)
    }
}
