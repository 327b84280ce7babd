import Foundation
import TierdeskCore
import TierdeskStore

/// The triage rules every new ticket and change runs through, and who owns operations each week.
extension TriageDesk {
    /// The ISO week it is now.
    func currentWeek() -> IsoWeek {
        IsoWeek(containing: clock.now())
    }

    func rules(for actor: Actor) async throws -> TriageRules {
        try DirectoryDesk.requireDirectory(actor)
        return try await settings.triageRules()
    }

    /// Checks what the rules name (articles, groups, people) and stores them; new tickets follow them at once.
    func save(_ rules: TriageRules, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        let setup = try await TriageSetup.checked(rules, knownErrors, directory, groups)
        try await settings.save(rules)
        triage.saved(setup, at: clock.now())
    }

    /// Names the week's operations owner (nil: nobody).
    func setOperationsOwner(_ personID: UUID?, for week: IsoWeek, by actor: Actor) async throws {
        try DirectoryDesk.requireConfigure(actor)
        if let id = personID {
            guard let person = try await directory.person(id), person.active, person.actor.isStaff else {
                throw TierdeskError.invalid(field: "personId", "must be an active member of staff")
            }
        }
        try await settings.setOperationsOwner(personID, for: week)
    }
}

extension TriageDesk {
    /// What `rule` would do to the ticket `reference` if it were opened now, without storing anything: the
    /// ticket as the rule leaves it and the events it would write (none when the rule does not match).
    func preview(_ rule: TriageRule, on reference: String, by actor: Actor) async throws -> (Ticket, [TicketEvent]) {
        try DirectoryDesk.requireConfigure(actor)
        let rules: TriageRules
        do {
            rules = try TriageRules(rules: [rule]).validated()
        } catch {
            throw TierdeskError.invalid(error)
        }
        let setup = try await TriageSetup.checked(rules, knownErrors, directory, groups)
        let (ticket, _) = try await ticketDesk.ticket(reference, for: actor)
        let trigger: TriageRule.Trigger = rule.when.on.map { $0.contains(.create) } ?? true ? .create : .update
        return setup.rules.apply(
            to: ticket,
            on: trigger,
            matrix: try await settings.priorityMatrix(),
            articles: setup.articles,
            at: clock.now()
        )
    }
}
