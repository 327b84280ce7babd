import Foundation
import TierdeskCore
import TierdeskStore

/// Time on tickets: logged as a stretch or a duration, or with a timer; and the ticket's billing scope and
/// vendor costs. Only staff log time (one's own; managers and admins anyone's); a closed month takes no
/// more time or costs.
extension BillingDesk {
    /// Time as a caller logs it: a stretch (`start` and `end`) or a duration in minutes that ends now.
    struct TimeInput: Sendable {
        var person: UUID?
        var start: Date?
        var end: Date?
        var minutes: Int?
        var billable: Bool?
        var category: TimeCategory?
        var note: String
    }

    /// Logs time on a ticket; returns the entry and the balance warning levels it set off.
    func logTime(on reference: String, _ input: TimeInput, by actor: Actor) async throws -> (
        entry: TimeEntryRepository.Entry, warnings: [Int]
    ) {
        try TierdeskError.check(AccessPolicy.decide(.logTime, by: actor), notFound: "")
        let personID = input.person ?? actor.personID
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: personID, by: actor), notFound: "")
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        let now = now
        var errors: [FieldError] = []
        let end = input.end ?? now
        var start = input.start ?? end
        switch (input.start, input.minutes) {
        case (nil, let minutes?):
            if (1...Int(TimeEntry.maxLength / 60)).contains(minutes) {
                start = end.addingTimeInterval(-Double(minutes) * 60)
            } else {
                errors.append(FieldError(field: "minutes", message: "must be between 1 and 1440"))
            }
        case (.some, nil):
            if input.end == nil { errors.append(FieldError(field: "end", message: "is required with start")) }
        case (.some, .some):
            errors.append(FieldError(field: "minutes", message: "give either minutes or start and end, not both"))
        case (nil, nil):
            errors.append(FieldError(field: "minutes", message: "say how long: minutes, or start and end"))
        }
        var note = input.note
        if errors.isEmpty {
            do { note = try TimeEntry.validated(start: start, end: end, note: input.note, now: now) } catch {
                errors += error.errors
            }
        }
        // Time is logged for someone else only when that someone is active staff.
        if input.person != nil, try await directory.person(personID).map({ $0.active && $0.actor.isStaff }) != true {
            errors.append(
                FieldError(
                    field: "personId",
                    message: "\(personID.uuidString) is not an active agent, manager or admin"
                )
            )
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let scope = try await billing.scope(ticket: ticket.id)
        let entry = TimeEntry(
            personID: personID,
            ticketID: ticket.id,
            start: start,
            end: end,
            note: note,
            billable: input.billable ?? (scope?.billsTime ?? true),
            category: input.category ?? .breakFix,
            recordedBy: actor.personID,
            recordedAt: now
        )
        let warnings = try await record(entry, organisation: ticket.organisationID)
        return (TimeEntryRepository.Entry(work: entry, ticketReference: ticket.reference), warnings)
    }

    /// Stores an entry with the balance warnings it sets off, in one transaction.
    private func record(_ entry: TimeEntry, organisation: UUID) async throws -> [Int] {
        let terms = try await currentTerms()
        let month = CalendarMonth(containing: entry.start, in: terms.zone)
        let contract = terms.terms(for: organisation, month: month)
        let watch = (contract?.plan.includedMinutes ?? 0) > 0
        // Who would be warned is read only when a warning can go out at all.
        let named = watch ? try await directory.organisation(organisation) : nil
        let recipients =
            watch && mailIdentity != nil
            ? try await warningRecipients(organisation: organisation, contract: contract?.contract) : []
        let identity = mailIdentity
        let sent = try await billing.logTime(
            entry,
            organisation: organisation,
            month: month.description,
            range: month.range(in: terms.zone),
            watch: watch,
            statement: { input in
                guard let contract, let named else { return nil }
                return MonthlyStatement.build(
                    organisation: named,
                    month: month,
                    plan: contract.plan,
                    work: input.work,
                    vendorCosts: input.vendorCosts
                )
            },
            warnings: { statement, level in
                guard let identity else { return [] }
                return try BalanceWarningMail.messages(
                    statement,
                    level: level,
                    to: recipients,
                    identity: identity,
                    at: entry.recordedAt
                )
            }
        )
        if !sent.isEmpty { outboxWakeUps.signal() }
        return sent
    }

    /// Who hears that an organisation's hours run out: its account manager (or, without one, the active
    /// managers) and, when the contract lets them see billing, the organisation's active requesters.
    private func warningRecipients(organisation: UUID, contract: SupportContract?) async throws -> [Person] {
        var people: [Person] = []
        if let manager = contract?.accountManagerID, let person = try await directory.person(manager), person.active {
            people.append(person)
        } else {
            people += try await directory.people(role: .manager).filter(\.active)
        }
        if contract?.customerSeesBilling == true {
            people += try await directory.people(organisation: organisation)
                .filter {
                    $0.active && $0.roles.contains(.requester)
                }
        }
        return people
    }

    /// A ticket's logged time, oldest first. Staff only.
    func time(on reference: String, for actor: Actor) async throws -> (Ticket, [TimeEntry]) {
        try TierdeskError.check(AccessPolicy.decide(.logTime, by: actor), notFound: "")
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        return (ticket, try await timeEntries.entries(ticket: ticket.id))
    }

    /// Removes logged time: one's own, or anyone's for managers and admins; never in a closed month.
    func removeTime(_ id: UUID, by actor: Actor) async throws {
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: actor.personID, by: actor), notFound: "")
        guard let work = try await timeEntries.find(id) else {
            throw TierdeskError.notFound("No logged time has the id \(id.uuidString).")
        }
        try TierdeskError.check(AccessPolicy.decideTimeOff(of: work.personID, by: actor), notFound: "")
        guard let ticket = try await tickets.find(id: work.ticketID) else {
            throw TierdeskError.notFound("No logged time has the id \(id.uuidString).")
        }
        let zone = try await currentTerms().zone
        guard
            try await billing.removeTime(
                id,
                organisation: ticket.organisationID,
                month: CalendarMonth(containing: work.start, in: zone).description
            )
        else { throw TierdeskError.notFound("No logged time has the id \(id.uuidString).") }
    }

    // MARK: Timer

    /// The actor's running timer: the ticket's reference and when it started.
    func timer(for actor: Actor) async throws -> (reference: String, startedAt: Date)? {
        guard let running = try await billing.timer(person: actor.personID),
            let ticket = try await tickets.find(id: running.ticketID)
        else { return nil }
        return (ticket.reference, running.startedAt)
    }

    /// Starts the actor's timer on a ticket; one timer runs at a time. Returns the ticket's reference as
    /// stored and when the timer started.
    func startTimer(on reference: String, by actor: Actor) async throws -> (reference: String, startedAt: Date) {
        try TierdeskError.check(AccessPolicy.decide(.logTime, by: actor), notFound: "")
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        let now = now
        guard try await billing.startTimer(person: actor.personID, ticket: ticket.id, at: now) else {
            let running = try await timer(for: actor)
            throw TierdeskError.conflict(
                "Your timer already runs on \(running?.reference ?? "another ticket"); stop it first."
            )
        }
        return (ticket.reference, now)
    }

    /// Stops the actor's timer and logs the time from its start until now on its ticket.
    func stopTimer(note: String, category: TimeCategory?, billable: Bool?, by actor: Actor) async throws -> (
        entry: TimeEntryRepository.Entry, warnings: [Int]
    ) {
        guard let running = try await timer(for: actor) else {
            throw TierdeskError.conflict("No timer of yours is running.")
        }
        let result = try await logTime(
            on: running.reference,
            TimeInput(
                start: running.startedAt,
                end: now,
                billable: billable,
                category: category,
                note: note
            ),
            by: actor
        )
        _ = try await billing.stopTimer(person: actor.personID)
        return result
    }

    /// Drops the actor's running timer without logging anything.
    func discardTimer(by actor: Actor) async throws {
        guard try await billing.stopTimer(person: actor.personID) != nil else {
            throw TierdeskError.conflict("No timer of yours is running.")
        }
    }

    // MARK: Scope

    /// Marks a ticket in scope, out of scope (guidance only, or billable with consent) or moves its work
    /// to a new project with an estimate; a project stops the ticket's SLA clocks.
    func changeScope(
        of reference: String,
        to kind: BillingScope.Kind,
        consent: String?,
        project: (title: String, estimateMinutes: Int)?,
        by actor: Actor
    ) async throws -> (Ticket, BillingScope, Project?) {
        let (ticket, ticketScope) = try await ticketDesk.ticket(reference, for: actor)
        // Decided before a project number is taken; the write checks it again on the locked ticket.
        try TierdeskError.check(
            AccessPolicy.decide(.changeBillingScope, by: actor, on: ticketScope),
            notFound: TicketDesk.notFound(reference)
        )
        let current = try await billing.scope(ticket: ticket.id)
        var errors: [FieldError] = []
        var cleanedConsent: String?
        do { cleanedConsent = try BillingScope.consent(for: kind, consent) } catch { errors += error.errors }
        var title = ""
        if kind == .project {
            if let project {
                do {
                    title = try Project.validated(title: project.title, estimateMinutes: project.estimateMinutes)
                } catch {
                    errors += error.errors
                }
            } else {
                errors.append(FieldError(field: "projectTitle", message: "a project needs a title and an estimate"))
            }
        }
        if (current?.kind ?? .inScope) == kind, kind != .outOfScope {
            errors.append(
                FieldError(field: "scope", message: "\(ticket.reference) is already \(kind.label.lowercased())")
            )
        }
        guard errors.isEmpty else { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let now = now
        var newProject: Project?
        if kind == .project, let project {
            newProject = Project(
                number: try await billing.nextProjectNumber(),
                organisationID: ticket.organisationID,
                ticketID: ticket.id,
                title: title,
                estimateMinutes: project.estimateMinutes,
                createdBy: actor.personID,
                createdAt: now
            )
        }
        let scope = BillingScope(
            ticketID: ticket.id,
            kind: kind,
            consent: cleanedConsent,
            projectID: newProject?.id,
            decidedBy: actor.personID,
            decidedAt: now
        )
        let updated = try await ticketDesk.changeScope(
            reference,
            from: current?.kind ?? .inScope,
            to: scope,
            newProject: newProject,
            by: actor
        )
        return (updated, scope, newProject)
    }

    // MARK: Vendor costs

    /// Records what a vendor charged on a ticket, passed through on the statement. Managers and admins.
    func addVendorCost(
        on reference: String,
        amount: Int,
        currency: String,
        note: String,
        incurredAt: Date?,
        by actor: Actor
    ) async throws -> VendorCost {
        try TierdeskError.check(AccessPolicy.decide(.viewBilling, by: actor), notFound: "")
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        let now = now
        let incurred = incurredAt ?? now
        let terms = try await currentTerms()
        let planCurrency = terms.terms(for: ticket.organisationID, at: incurred)?.plan.currency ?? currency
        let cleaned: String
        do {
            cleaned = try VendorCost.validated(
                amount: Money(minor: amount, currency: currency),
                currency: planCurrency,
                note: note,
                incurredAt: incurred,
                now: now
            )
        } catch { throw TierdeskError.invalid(error) }
        let cost = VendorCost(
            ticketID: ticket.id,
            vendorID: ticket.vendorID,
            amount: Money(minor: amount, currency: currency),
            note: cleaned,
            incurredAt: incurred,
            recordedBy: actor.personID,
            recordedAt: now
        )
        try await billing.add(
            cost,
            organisation: ticket.organisationID,
            month: CalendarMonth(containing: incurred, in: terms.zone).description
        )
        return cost
    }
}

extension BillingDesk {
    /// What a ticket's page shows of its time and billing.
    struct TicketTime: Sendable {
        var entries: [TimeEntry]
        var people: [UUID: Person]
        var scope: BillingScope?
        var project: Project?
        var timer: (reference: String, startedAt: Date, here: Bool)?
        var plan: SupportPlan?
        var zone: TimeZone
    }

    /// A ticket's time, scope, project and the viewer's timer. Staff only.
    func ticketTime(_ ticket: Ticket, for actor: Actor) async throws -> TicketTime {
        try TierdeskError.check(AccessPolicy.decide(.logTime, by: actor), notFound: "")
        let entries = try await timeEntries.entries(ticket: ticket.id)
        let scope = try await billing.scope(ticket: ticket.id)
        let terms = try await currentTerms()
        let running = try await timer(for: actor)
        return TicketTime(
            entries: entries,
            people: try await people(Set(entries.map(\.personID))),
            scope: scope,
            project: try await scope?.projectID.asyncFlatMap { try await billing.project($0) },
            timer: running.map { ($0.reference, $0.startedAt, $0.reference == ticket.reference) },
            plan: terms.terms(for: ticket.organisationID, at: now)?.plan,
            zone: terms.zone
        )
    }
}
