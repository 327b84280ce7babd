import Foundation
import Hummingbird
import TierdeskCore
import TierdeskStore

/// Pages (`/api/v1/pages`): list, start by hand, acknowledge, resolve; the paging settings and secret;
/// and each person's paging contacts.
struct PagesAPI {
    let clock: any Clock
    let directory: DirectoryRepository
    let settings: SettingsRepository
    let oncall: OnCallRepository
    let oncallDesk: OnCallDesk
    let pages: PageRepository
    let pagingWakeUps: WakeUps
    let ticketDesk: TicketDesk

    func register(_ routes: APIRoutes) {

        routes.signedIn(.get, "/api/v1/pages") { request, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            let statuses = try request.enumQuery("status", as: OnCallPage.Status.self).map { Set([$0]) }
            return try JSONBody.response(try await dtos(try await pages.list(statuses: statuses)))
        }
        routes.signedIn(.post, "/api/v1/pages") { request, context in
            let actor = context.identity.actor
            try OnCallDesk.require(.respondToPages, actor)
            let input = try await JSONBody.decode(NewPageDTO.self, from: request)
            var ticket: Ticket?
            if let reference = input.ticket {
                ticket = try await ticketDesk.ticket(reference, for: actor).0
            }
            let severity = input.severity ?? ticket.map { $0.severity == .sev3 ? .sev2 : $0.severity } ?? .sev1
            let settings = try await settings.paging()
            guard let policyID = input.policyId ?? settings.policy(for: severity) else {
                throw TierdeskError.invalid(ValidationFailure(field: "policyId", message: "is required: the paging settings name no policy for \(severity.rawValue)"))
            }
            guard try await oncall.policy(policyID) != nil else {
                throw TierdeskError.invalid(ValidationFailure(field: "policyId", message: "no escalation policy has the id \(policyID.uuidString)"))
            }
            var errors: [FieldError] = []
            let title = TextLimits.line(input.title ?? ticket?.title ?? "", field: "title", maxCharacters: OnCallPage.maxTitle, errors: &errors)
            if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
            let page = try await pages.start(ticketID: ticket?.id, policyID: policyID, title: title, severity: severity, by: actor.personID, at: clock.now())
            pagingWakeUps.signal()
            return try JSONBody.response(try await dto(page, withEvents: true), status: .created)
        }
        routes.signedIn(.get, "/api/v1/pages/{pageId}") { _, context in
            try OnCallDesk.require(.viewOnCall, context.identity.actor)
            let id = try context.uuidParameter("pageId", what: "page")
            guard let page = try await pages.find(id) else { throw Problem(.notFound, "No page has the id \(id.uuidString).") }
            return try JSONBody.response(try await dto(page, withEvents: true))
        }
        routes.signedIn(.post, "/api/v1/pages/{pageId}/acknowledge") { _, context in
            let actor = context.identity.actor
            try OnCallDesk.require(.respondToPages, actor)
            let id = try context.uuidParameter("pageId", what: "page")
            return try await outcome(try await pages.acknowledge(id, by: actor.personID, at: clock.now()), id)
        }
        routes.signedIn(.post, "/api/v1/pages/{pageId}/resolve") { _, context in
            let actor = context.identity.actor
            try OnCallDesk.require(.respondToPages, actor)
            let id = try context.uuidParameter("pageId", what: "page")
            return try await outcome(try await pages.resolve(id, by: actor.personID, at: clock.now()), id)
        }

        routes.signedIn(.get, "/api/v1/settings/paging") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            return try JSONBody.response(try await settings.paging())
        }
        routes.signedIn(.put, "/api/v1/settings/paging") { request, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let settings = try await oncallDesk.checkedSettings(try await JSONBody.decode(PagingSettings.self, from: request))
            try await self.settings.save(settings)
            return try JSONBody.response(settings)
        }
        routes.signedIn(.post, "/api/v1/settings/paging/secret") { _, context in
            try DirectoryDesk.requireConfigure(context.identity.actor)
            let secret = try await settings.pagingSecret(candidate: Secrets.token(prefix: "pgsec_"), replace: true)
            return try JSONBody.response(PagingSecretDTO(secret: secret), status: .created)
        }

        routes.signedIn(.get, "/api/v1/people/{personId}/paging-contacts") { _, context in
            let actor = context.identity.actor
            let id = try context.uuidParameter("personId", what: "person")
            try TierdeskError.check(AccessPolicy.decidePagingContacts(of: id, by: actor), notFound: "")
            guard try await directory.person(id) != nil else { throw Problem(.notFound, "No person has the id \(id.uuidString).") }
            return try JSONBody.response(ContactMethodsDTO(methods: try await oncall.contacts(of: id)))
        }
        routes.signedIn(.put, "/api/v1/people/{personId}/paging-contacts") { request, context in
            let actor = context.identity.actor
            let id = try context.uuidParameter("personId", what: "person")
            try TierdeskError.check(AccessPolicy.decidePagingContacts(of: id, by: actor), notFound: "")
            let input = try await JSONBody.decode(ContactMethodsDTO.self, from: request)
            guard try await directory.person(id) != nil else { throw Problem(.notFound, "No person has the id \(id.uuidString).") }
            let allowPrivate = try await settings.paging().allowPrivateTargets
            let methods: [ContactMethod]
            do { methods = try ContactMethod.validate(input.methods, allowPrivateTargets: allowPrivate) } catch let failure as ValidationFailure { throw TierdeskError.invalid(failure) }
            try await oncall.setContacts(methods, of: id, at: clock.now())
            return try JSONBody.response(ContactMethodsDTO(methods: methods))
        }
    }

    private func outcome(_ outcome: PageRepository.Outcome, _ id: UUID) async throws -> Response {
        switch outcome {
        case .changed(let page), .unchanged(let page):
            pagingWakeUps.signal()
            return try JSONBody.response(try await dto(page, withEvents: true))
        case .notFound:
            throw Problem(.notFound, "No page has the id \(id.uuidString).")
        }
    }

    func dto(_ page: OnCallPage, withEvents: Bool) async throws -> PageDTO {
        let events = withEvents ? try await pages.events(of: page.id) : nil
        return try await dtos([page], events: events)[0]
    }

    func dtos(_ pages: [OnCallPage], events: [PageEvent]? = nil) async throws -> [PageDTO] {
        let named = try await oncallDesk.withNames(pages, events: events ?? [])
        return pages.map { PageDTO($0, ticket: $0.ticketID.flatMap { named.references[$0] }, people: named.people, events: events) }
    }
}
