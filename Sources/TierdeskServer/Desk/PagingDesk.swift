import Foundation
import TierdeskCore
import TierdeskStore

/// Pages: started by hand or by a Sev1/Sev2 ticket, acknowledged and resolved from the API, the console
/// or a signed link in the page itself. Each use case exists once here, and each wakes the paging job,
/// so a stopped page sends no further step.
struct PagingDesk: Sendable {
    let clock: any Clock
    let pages: PageRepository
    let oncall: OnCallRepository
    let settings: SettingsRepository
    let directory: DirectoryRepository
    let pageLinks: PageLinks
    let pagingWakeUps: WakeUps
    let oncallDesk: OnCallDesk
    let ticketDesk: TicketDesk

    /// A page with its history (when asked for) and the names both mention.
    struct Detail: Sendable {
        var page: OnCallPage
        var events: [PageEvent]?
        var named: OnCallDesk.PagesWithNames
    }

    /// What to start: a ticket's page, or one by hand.
    struct NewPage: Sendable {
        var ticket: String?
        var severity: Severity?
        var policyID: UUID?
        var title: String?
    }

    func list(statuses: Set<OnCallPage.Status>?, for actor: Actor) async throws -> OnCallDesk.PagesWithNames {
        try OnCallDesk.require(.viewOnCall, actor)
        return try await oncallDesk.withNames(try await pages.list(statuses: statuses))
    }

    func page(_ id: UUID, for actor: Actor) async throws -> Detail {
        try OnCallDesk.require(.viewOnCall, actor)
        return try await detail(try await found(id))
    }

    /// Starts a page and sends its first step. Without a policy the paging settings name the one for the
    /// severity (a ticket's, raised to Sev2 at least; Sev1 by default).
    func start(_ new: NewPage, by actor: Actor) async throws -> Detail {
        try OnCallDesk.require(.respondToPages, actor)
        let ticket = try await new.ticket.asyncMap { try await ticketDesk.ticket($0, for: actor).0 }
        let severity = new.severity ?? ticket.map { $0.severity == .sev3 ? .sev2 : $0.severity } ?? .sev1
        let configured = new.policyID == nil ? try await settings.paging().policy(for: severity) : nil
        guard let policyID = new.policyID ?? configured else {
            throw TierdeskError.invalid(
                field: "policyId",
                "is required: the paging settings name no policy for \(severity.rawValue)"
            )
        }
        guard try await oncall.policy(policyID) != nil else {
            throw TierdeskError.invalid(field: "policyId", "no escalation policy has the id \(policyID.uuidString)")
        }
        var errors: [FieldError] = []
        let title = TextLimits.line(
            new.title ?? ticket?.title ?? "",
            field: "title",
            maxCharacters: OnCallPage.maxTitle,
            errors: &errors
        )
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let page = try await pages.start(
            ticketID: ticket?.id,
            policyID: policyID,
            title: title,
            severity: severity,
            by: actor.personID,
            at: clock.now()
        )
        pagingWakeUps.signal()
        return try await detail(page)
    }

    /// Acknowledges a page: no further step is sent.
    func acknowledge(_ id: UUID, by actor: Actor) async throws -> Detail {
        try OnCallDesk.require(.respondToPages, actor)
        return try await detail(
            try await settle(try await pages.acknowledge(id, by: actor.personID, at: clock.now()), id)
        )
    }

    /// Resolves a page, acknowledged or not.
    func resolve(_ id: UUID, by actor: Actor) async throws -> Detail {
        try OnCallDesk.require(.respondToPages, actor)
        return try await detail(try await settle(try await pages.resolve(id, by: actor.personID, at: clock.now()), id))
    }

    /// The page and person of an acknowledgement link, if its signature holds.
    func linked(_ pageID: UUID, person: String?, signature: String?) async throws -> (OnCallPage, Person, String) {
        guard let personID = person.flatMap(UUID.init(uuidString:)), let signature,
            pageLinks.verify(page: pageID, person: personID, signature: signature)
        else {
            throw TierdeskError.forbidden(
                "This acknowledgement link is not valid. Use the link from the page exactly as it was sent, or acknowledge in the console."
            )
        }
        guard let page = try await pages.find(pageID), let person = try await directory.person(personID) else {
            throw TierdeskError.notFound("This page no longer exists.")
        }
        return (page, person, signature)
    }

    /// Acknowledges through a signed link; says whether this acknowledged it (false if it already was).
    func acknowledge(linkTo pageID: UUID, person: String?, signature: String?) async throws -> (
        OnCallPage, Person, String, Bool
    ) {
        let (page, person, signature) = try await linked(pageID, person: person, signature: signature)
        switch try await pages.acknowledge(page.id, by: person.id, at: clock.now()) {
        case .changed(let changed):
            pagingWakeUps.signal()
            return (changed, person, signature, true)
        case .unchanged(let unchanged): return (unchanged, person, signature, false)
        case .notFound: return (page, person, signature, false)
        }
    }

    // MARK: Escalation steps (the paging job)

    /// When the next escalation step of any page falls due.
    func nextStepAt() async throws -> Date? {
        try await pages.nextStepAt()
    }

    /// Sends every step due at `now`; returns how many were sent.
    func dispatchDueSteps(at now: Date) async throws -> Int {
        try await pages.dispatchDue(at: now)
    }

    // MARK: Settings and contacts

    func pagingSettings(for actor: Actor) async throws -> PagingSettings {
        try DirectoryDesk.requireConfigure(actor)
        return try await settings.paging()
    }

    func save(_ paging: PagingSettings, by actor: Actor) async throws -> PagingSettings {
        try DirectoryDesk.requireConfigure(actor)
        let checked = try await oncallDesk.checkedSettings(paging)
        try await settings.save(checked)
        return checked
    }

    /// A new secret for signing HTTP pages; the old one stops working.
    func rotateSecret(by actor: Actor) async throws -> String {
        try DirectoryDesk.requireConfigure(actor)
        return try await settings.pagingSecret(candidate: Secrets.token(prefix: "pgsec_"), replace: true)
    }

    func contacts(of person: UUID, for actor: Actor) async throws -> [ContactMethod] {
        try await checkContacts(of: person, by: actor)
        return try await oncall.contacts(of: person)
    }

    func setContacts(_ methods: [ContactMethod], of person: UUID, by actor: Actor) async throws -> [ContactMethod] {
        try await checkContacts(of: person, by: actor)
        let allowPrivate = try await settings.paging().allowPrivateTargets
        let checked: [ContactMethod]
        do {
            checked = try ContactMethod.validate(methods, allowPrivateTargets: allowPrivate)
        } catch {
            throw TierdeskError.invalid(error)
        }
        try await oncall.setContacts(checked, of: person, at: clock.now())
        return checked
    }

    private func checkContacts(of person: UUID, by actor: Actor) async throws {
        try TierdeskError.check(AccessPolicy.decidePagingContacts(of: person, by: actor), notFound: "")
        guard try await directory.person(person) != nil else {
            throw TierdeskError.notFound("No person has the id \(person.uuidString).")
        }
    }

    // MARK: Helpers

    private func found(_ id: UUID) async throws -> OnCallPage {
        guard let page = try await pages.find(id) else {
            throw TierdeskError.notFound("No page has the id \(id.uuidString).")
        }
        return page
    }

    private func settle(_ outcome: PageRepository.Outcome, _ id: UUID) async throws -> OnCallPage {
        switch outcome {
        case .changed(let page), .unchanged(let page):
            pagingWakeUps.signal()
            return page
        case .notFound:
            throw TierdeskError.notFound("No page has the id \(id.uuidString).")
        }
    }

    private func detail(_ page: OnCallPage) async throws -> Detail {
        let events = try await pages.events(of: page.id)
        return Detail(page: page, events: events, named: try await oncallDesk.withNames([page], events: events))
    }
}
