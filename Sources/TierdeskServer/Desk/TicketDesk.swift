import Foundation
import TierdeskCore
import TierdeskStore

/// The ticket use cases every channel shares (API, web console, portal): look up what a command names,
/// run the Core rules with the caller as actor, store the result in one transaction.
struct TicketDesk: Sendable {
    let clock: any Clock
    let tickets: TicketRepository
    let slaAlarms: SLAAlarmRepository
    let directory: DirectoryRepository
    let attachments: AttachmentRepository
    let sla: SLASettings
    let groups: SupportGroupRepository
    let knownErrors: KnownErrorRepository
    let slaWakeUps: WakeUps
    let priorityMatrix: SettingCache<PriorityMatrix>
    let escalationGates: SettingCache<EscalationGateSettings>
    let triage: SettingCache<TriageSetup>
    /// Contracts and plans: the notice rule reads a new ticket's plan.
    let billingTerms: SettingCache<BillingTerms>
    let ticketEffects: TicketWriteEffects

    /// The desk's present, also for pages that show how long ago or how soon something is.
    var now: Date { clock.now() }

    /// The Core rules with the priority matrix in force; also brings the SLA settings up to date for the write.
    func workflow() async throws -> TicketWorkflow {
        try await sla.refresh(at: now)
        return TicketWorkflow(matrix: try await priorityMatrix.value(at: now))
    }

    /// The triage rules in force and the ids of the articles they link.
    func triage() async throws -> (TriageRules, [Int: UUID]) {
        let setup = try await triage.value(at: now)
        return (setup.rules, setup.articles)
    }

    /// Opens a ticket on behalf of `caller`; `extras` (a mail's files and receipt) are stored with it.
    func open(_ draft: TicketDraft, by caller: Person, extras: TicketWriteExtras = .none) async throws -> Ticket {
        let actor = caller.actor
        var references = TicketReferences()
        let requesterID = draft.requesterID ?? caller.id
        references.requester = requesterID == caller.id ? caller : try await directory.person(requesterID)
        if let id = draft.serviceID { references.service = try await directory.service(id) }
        if let id = draft.ownerID { references.owner = try await directory.person(id) }
        if let id = draft.organisationID { references.organisation = try await directory.organisation(id) }
        let workflow = try await workflow()
        let (rules, articles) = try await triage()
        let now = now
        let terms = try await billingTerms.value(at: now)
        let id = UUID.timeOrdered()
        let ticket = try await tickets.create(effects: ticketEffects, extras: extras) { [references] number in
            let (ticket, event) = try workflow.open(
                draft,
                by: actor,
                references: references,
                id: id,
                number: number,
                at: now
            )
            let (ruled, ruleEvents) = rules.apply(
                to: ticket,
                on: .create,
                matrix: workflow.matrix,
                articles: articles,
                at: now
            )
            let (noticed, noticeEvents) = terms.applyNotice(to: ruled, at: now)
            return (noticed, [event] + ruleEvents + noticeEvents)
        }
        slaWakeUps.signal()
        return ticket
    }

    /// The ticket with `reference`, if `actor` may see it; otherwise "not found", so references do not leak.
    func ticket(_ reference: String, for actor: Actor) async throws -> (Ticket, TicketScope) {
        guard let number = TicketReference.number(in: reference),
            let (ticket, scope) = try await tickets.findScoped(number: number)
        else {
            throw TierdeskError.notFound(Self.notFound(reference))
        }
        try TierdeskError.check(
            AccessPolicy.decide(.viewTicket, by: actor, on: scope),
            notFound: Self.notFound(reference)
        )
        return (ticket, scope)
    }

    func update(_ reference: String, with changes: TicketChanges, expectedVersion: Int, by actor: Actor) async throws
        -> Ticket
    {
        var references = TicketReferences()
        if case .some(.some(let id)) = changes.serviceID { references.service = try await directory.service(id) }
        if case .some(.some(let id)) = changes.ownerID { references.owner = try await directory.person(id) }
        let workflow = try await workflow()
        let (rules, articles) = try await triage()
        let now = now
        return try await modify(reference, by: actor) { [references] ticket, scope in
            let (updated, events) = try workflow.update(
                ticket,
                scope: scope,
                with: changes,
                expectedVersion: expectedVersion,
                by: actor,
                references: references,
                at: now
            )
            guard !events.isEmpty else { return (updated, events) }
            let (ruled, ruleEvents) = rules.apply(
                to: updated,
                on: .update,
                matrix: workflow.matrix,
                articles: articles,
                at: now
            )
            return (ruled, events + ruleEvents)
        }
        .0
    }

    func changeStatus(
        _ reference: String,
        to status: TicketStatus,
        comment: String?,
        resolution: Resolution? = nil,
        expectedVersion: Int,
        by actor: Actor
    ) async throws -> Ticket {
        let workflow = try await workflow()
        let now = now
        return try await modify(reference, by: actor) { ticket, scope in
            try workflow.changeStatus(
                ticket,
                scope: scope,
                to: status,
                comment: comment,
                resolution: resolution,
                expectedVersion: expectedVersion,
                by: actor,
                at: now
            )
        }
        .0
    }

    /// Links a Known Error Database article to a ticket, and with `resolve` resolves the ticket from it.
    func applyKnownError(
        _ articleReference: String,
        to reference: String,
        resolve: Bool,
        expectedVersion: Int,
        by actor: Actor
    ) async throws -> Ticket {
        _ = try await ticket(reference, for: actor)
        guard let number = KnownError.number(in: articleReference),
            let article = try await knownErrors.find(number: number)
        else {
            throw TierdeskError.invalid(
                field: "knownError",
                "no article is \(articleReference.prefix(40)); give a reference such as KE-12"
            )
        }
        let workflow = try await workflow()
        let now = now
        return try await modify(reference, by: actor) { ticket, scope in
            try workflow.applyKnownError(
                article,
                to: ticket,
                scope: scope,
                resolve: resolve,
                expectedVersion: expectedVersion,
                by: actor,
                at: now
            )
        }
        .0
    }

    /// The articles that best match a ticket's title and description.
    func suggestions(for ticket: Ticket, limit: Int = 5) async throws -> [KnownError] {
        try await knownErrors.search(ticket.title + "\n" + ticket.description, limit: limit)
    }

    /// Gives an unowned ticket an owner (triage); false when someone took it meanwhile.
    func assignIfUnowned(_ reference: String, to owner: Person, by actor: Actor) async throws -> Bool {
        let workflow = try await workflow()
        let now = now
        var changes = TicketChanges()
        changes.ownerID = .some(owner.id)
        let references = TicketReferences(owner: owner)
        let (_, events) = try await modify(reference, by: actor) { [changes] ticket, scope in
            guard ticket.ownerID == nil else { return (ticket, []) }
            return try workflow.update(
                ticket,
                scope: scope,
                with: changes,
                expectedVersion: ticket.version,
                by: actor,
                references: references,
                at: now
            )
        }
        return !events.isEmpty
    }

    /// Records a workaround; its owner may downgrade a P3 to P4 with it.
    func applyWorkaround(
        _ reference: String,
        description: String,
        downgrade: Bool,
        expectedVersion: Int,
        by actor: Actor
    ) async throws -> Ticket {
        let workflow = try await workflow()
        let now = now
        return try await modify(reference, by: actor) { ticket, scope in
            try workflow.applyWorkaround(
                to: ticket,
                scope: scope,
                description: description,
                downgrade: downgrade,
                expectedVersion: expectedVersion,
                by: actor,
                at: now
            )
        }
        .0
    }

    /// Hands a ticket to a higher tier through the service's evidence gates.
    func escalate(_ reference: String, request: EscalationRequest, expectedVersion: Int, by actor: Actor) async throws
        -> Ticket
    {
        let (ticket, _) = try await ticket(reference, for: actor)
        var context = EscalationContext(
            service: try await ticket.serviceID.asyncFlatMap { try await directory.service($0) },
            gates: try await escalationGates.value(at: now).gates(for: ticket.serviceID),
            attachmentCount: try await attachments.list(ticketID: ticket.id).count
        )
        context.vendor = try await request.vendorID.asyncFlatMap { try await directory.vendor($0) }
        context.group = try await request.group.asyncFlatMap { try await groups.find(name: $0) }
        context.owner = try await request.ownerID.asyncFlatMap { try await directory.person($0) }
        let workflow = try await workflow()
        let now = now
        return try await modify(reference, by: actor) { [context] current, scope in
            try workflow.escalate(
                current,
                scope: scope,
                request: request,
                context: context,
                expectedVersion: expectedVersion,
                by: actor,
                at: now
            )
        }
        .0
    }

    /// Hands a ticket back to a lower tier with a note.
    func deescalate(_ reference: String, to tier: Tier?, note: String, expectedVersion: Int, by actor: Actor)
        async throws -> Ticket
    {
        let (ticket, _) = try await ticket(reference, for: actor)
        let service = try await ticket.serviceID.asyncFlatMap { try await directory.service($0) }
        let workflow = try await workflow()
        let now = now
        return try await modify(reference, by: actor) { current, scope in
            try workflow.deescalate(
                current,
                scope: scope,
                to: tier,
                note: note,
                service: service,
                expectedVersion: expectedVersion,
                by: actor,
                at: now
            )
        }
        .0
    }

    /// Adds a public reply or an internal note; returns the message's event.
    func addMessage(
        _ reference: String,
        body: String,
        isInternal: Bool,
        by actor: Actor,
        extras: TicketWriteExtras = .none
    ) async throws -> TicketEvent {
        let now = now
        let (_, events) = try await modify(reference, by: actor, extras: extras) { ticket, scope in
            try TicketWorkflow()
                .addMessage(to: ticket, scope: scope, body: body, isInternal: isInternal, by: actor, at: now)
        }
        return events[0]
    }

    /// Changes a ticket's billing scope (and stores a new project) with a `scope_changed` event; moving
    /// to a project stops the SLA clocks, moving back starts them again.
    func changeScope(
        _ reference: String,
        from before: BillingScope.Kind,
        to scope: BillingScope,
        newProject: Project?,
        by actor: Actor
    ) async throws -> Ticket {
        let now = now
        var body = scope.consent.map { "Consent: \($0)" }
        if let project = newProject {
            body =
                "Work moved to \(project.reference) \"\(project.title)\", estimated \(DurationText.minutes(project.estimateMinutes))."
        }
        let extras = TicketWriteExtras(billingScope: (scope, newProject))
        let (ticket, _) = try await modify(reference, by: actor, extras: extras) { [body] ticket, ticketScope in
            try TierdeskError.check(
                AccessPolicy.decide(.changeBillingScope, by: actor, on: ticketScope),
                notFound: Self.notFound(reference)
            )
            var next = ticket
            next.updatedAt = now
            next.version += 1
            let event = TicketEvent(
                ticketID: ticket.id,
                kind: .scopeChanged,
                actorID: actor.personID,
                at: now,
                field: "scope",
                before: before.rawValue,
                after: scope.kind.rawValue,
                body: body,
                byStaff: true
            )
            return (next, [event])
        }
        return ticket
    }

    /// Records a note that no person wrote (a bounce report, for instance).
    func addSystemNote(_ reference: String, body: String, extras: TicketWriteExtras = .none) async throws {
        let now = now
        _ = try await modify(reference, by: nil, extras: extras) { ticket, _ in
            var next = ticket
            next.updatedAt = now
            return (next, [TicketEvent(ticketID: ticket.id, kind: .internalNote, actorID: nil, at: now, body: body)])
        }
    }

    func recordCorrection(_ reference: String, target: String, change: String, reason: String, by actor: Actor)
        async throws -> TicketEvent
    {
        let now = now
        let (_, events) = try await modify(reference, by: actor) { ticket, scope in
            var next = ticket
            next.updatedAt = now
            let event = try TicketWorkflow()
                .recordCorrection(
                    on: ticket,
                    scope: scope,
                    target: target,
                    change: change,
                    reason: reason,
                    by: actor,
                    at: now
                )
            return (next, [event])
        }
        return events[0]
    }

    /// The history of a ticket as its reader's audience sees it (``TicketAudience``): internal events only
    /// for those who may see them, the vendor thread only for staff and the vendor.
    func events(_ reference: String, for actor: Actor) async throws -> (Ticket, TicketScope, [TicketEvent]) {
        let (ticket, scope) = try await ticket(reference, for: actor)
        let includeInternal = AccessPolicy.allows(.viewInternalNotes, by: actor, on: scope)
        let events = try await tickets.events(ticketID: ticket.id, includeInternal: includeInternal)
        return (ticket, scope, try await visible(events, to: TicketAudience.of(actor)))
    }

    /// The events of one ticket an audience reads (``TicketAudience``); for the customer it asks which files
    /// are for the vendor only, so that not even their names show.
    func visible(_ events: [TicketEvent], to audience: TicketAudience) async throws -> [TicketEvent] {
        guard audience != .staff, let ticketID = events.first?.ticketID else { return events }
        var hidden: Set<TicketAudience.FileKey> = []
        if audience == .customer, events.contains(where: { $0.kind == .attachmentAdded }) {
            let marks = try await attachments.vendorMarks(ticketID: ticketID)
            if marks.values.contains(where: \.vendorOnly) {
                hidden = AttachmentInfo.vendorOnly(try await attachments.list(ticketID: ticketID), marks: marks)
            }
        }
        return audience.visible(events, vendorOnlyFiles: hidden)
    }

    /// A ticket's history and files as its reader's audience sees them, the files and their marks read once
    /// for both (a portal page shows both).
    func conversation(_ reference: String, for actor: Actor) async throws -> (
        Ticket, TicketScope, [TicketEvent], [AttachmentInfo]
    ) {
        let (ticket, scope) = try await ticket(reference, for: actor)
        let includeInternal = AccessPolicy.allows(.viewInternalNotes, by: actor, on: scope)
        let events = try await tickets.events(ticketID: ticket.id, includeInternal: includeInternal)
        let files = try await attachments.list(ticketID: ticket.id)
        let audience = TicketAudience.of(actor)
        guard audience != .staff else { return (ticket, scope, events, files) }
        let marks = try await attachments.vendorMarks(ticketID: ticket.id)
        return (
            ticket,
            scope,
            audience.visible(events, vendorOnlyFiles: AttachmentInfo.vendorOnly(files, marks: marks)),
            files.filter { audience.sees(file: marks[$0.id]) }
        )
    }

    /// The ticket's SLA clocks now, derived from its whole history.
    func clocks(_ reference: String, for actor: Actor) async throws -> (Ticket, [TicketClock]) {
        let (ticket, _) = try await ticket(reference, for: actor)
        let events = try await tickets.events(ticketID: ticket.id, includeInternal: true)
        return (ticket, clocks(of: ticket, events: events))
    }

    /// The clocks of a ticket whose whole history is in hand.
    func clocks(of ticket: Ticket, events: [TicketEvent]) -> [TicketClock] {
        TicketClocks.clocks(for: ticket, events: events, policy: sla.current.policy(for: ticket), now: now)
    }

    /// Open tickets per tier and per group, for the queue tabs; staff who see every queue only.
    func queueCounts(for actor: Actor) async throws -> (
        tiers: [Tier: QueueCount], groups: [(group: String, count: QueueCount)]
    ) {
        try TierdeskError.check(AccessPolicy.decide(.viewAllQueues, by: actor), notFound: "")
        return (try await tickets.openCountsByTier(), try await tickets.openCountsByGroup())
    }

    /// Tickets `actor` may see that match `query`.
    func list(_ query: TicketQuery, for actor: Actor) async throws -> [Ticket] {
        var shares = false
        if !actor.isStaff, actor.has(.requester), let organisation = actor.organisationID {
            shares = try await directory.organisation(organisation)?.sharesTickets ?? false
        }
        let visibility = AccessPolicy.visibility(for: actor, organisationSharesTickets: shares)
        if case .vendor = visibility, let text = query.text {
            // A vendor contact searches references and titles only: the customer's words are not theirs to
            // probe. Its tickets are the few escalated to its vendor.
            var plain = query
            plain.text = nil
            plain.limit = TicketQuery.maxLimit
            let words = TextWords.words(in: text)
            return try await tickets.list(plain, visibility: visibility)
                .filter { ticket in
                    let own = Set(TextWords.words(in: ticket.reference + " " + ticket.title))
                    return words.allSatisfy(own.contains)
                }
                .prefix(query.limit).map { $0 }
        }
        return try await tickets.list(query, visibility: visibility)
    }

    /// Runs a change on a ticket the actor can see. Visibility is checked first, inside the transaction and
    /// before any version check, so a hidden ticket is "not found" on every write path; `nil` is the system.
    func modify(
        _ reference: String,
        by actor: Actor?,
        extras: TicketWriteExtras = .none,
        _ change: @escaping @Sendable (Ticket, TicketScope) throws -> (Ticket, [TicketEvent])
    ) async throws -> (Ticket, [TicketEvent]) {
        guard let number = TicketReference.number(in: reference) else {
            throw TierdeskError.notFound(Self.notFound(reference))
        }
        try await sla.refresh(at: now)
        let result = try await tickets.modify(number: number, effects: ticketEffects, extras: extras) { ticket, scope in
            if let actor {
                try TierdeskError.check(
                    AccessPolicy.decide(.viewTicket, by: actor, on: scope),
                    notFound: Self.notFound(reference)
                )
            }
            return try change(ticket, scope)
        }
        slaWakeUps.signal()
        return result
    }

    static func notFound(_ reference: String) -> String {
        "No ticket \(reference.prefix(40)) exists, or you may not see it."
    }
}
