import Foundation
import TierdeskCore
import TierdeskStore

extension IncidentDesk {
    /// The zone the status page and updates write times in: the working-hours calendar's.
    func homeTimeZone() async throws -> TimeZone {
        try await timeOff.homeTimeZone()
    }

    /// The zone a person reads incident times in: their own (notification settings), else the home zone.
    func zone(for actor: Actor) async throws -> TimeZone {
        if actor.isStaff, let own = try await notifications.preferences(of: actor.personID).zone { return own }
        return try await homeTimeZone()
    }

    /// The public status page: no sign-in, and nothing but what updates said.
    func statusPage() async throws -> StatusPage {
        let now = clock.now()
        let zone = try await homeTimeZone()
        let shown = try await incidents.publishable(
            since: now.addingTimeInterval(-Double(StatusPage.days + 1) * 86_400)
        )
        return StatusPage(
            incidents: shown,
            updates: try await incidents.updates(of: shown.map(\.id)),
            services: try await directory.services(),
            now: now,
            zone: zone
        )
    }

    func subscribers(for actor: Actor) async throws -> [IncidentSubscriber] {
        try Self.require(.manageIncidentSubscribers, actor)
        return try await incidents.subscribers()
    }

    /// What a subscription asks for.
    struct NewSubscriber: Sendable {
        var kind: IncidentSubscriber.Kind
        var target: String
        var serviceID: UUID?
        var organisationID: UUID?
        var allowPrivateTargets = false
    }

    /// Adds a subscriber; only admins may let one call a private address.
    func subscribe(_ new: NewSubscriber, by actor: Actor) async throws -> IncidentSubscriber {
        try Self.require(.manageIncidentSubscribers, actor)
        if new.allowPrivateTargets, !actor.has(.admin) {
            throw TierdeskError.forbidden("Only admins may let a subscriber call a private address.")
        }
        var errors: [FieldError] = []
        var target = ""
        do {
            target = try IncidentSubscriber.checkedTarget(
                new.target,
                kind: new.kind,
                allowPrivateTargets: new.allowPrivateTargets
            )
        } catch { errors.append(error) }
        if let service = new.serviceID, try await directory.service(service) == nil {
            errors.append(FieldError(field: "serviceId", message: "no service has the id \(service.uuidString)"))
        }
        if let organisation = new.organisationID, try await directory.organisation(organisation) == nil {
            errors.append(
                FieldError(field: "organisationId", message: "no organisation has the id \(organisation.uuidString)")
            )
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        let subscriber = IncidentSubscriber(
            kind: new.kind,
            target: target,
            serviceID: new.serviceID,
            organisationID: new.organisationID,
            allowPrivateTargets: new.allowPrivateTargets,
            createdAt: clock.now()
        )
        try await incidents.add(subscriber)
        return subscriber
    }

    func unsubscribe(_ id: UUID, by actor: Actor) async throws {
        try Self.require(.manageIncidentSubscribers, actor)
        guard try await incidents.remove(subscriber: id) else {
            throw TierdeskError.notFound("No subscriber has the id \(id.uuidString).")
        }
    }

    func policy(for actor: Actor) async throws -> IncidentPolicy {
        try Self.require(.viewIncidents, actor)
        return try await policy()
    }

    /// Saves the cadence, review rule, automatic declaration and templates.
    func save(_ policy: IncidentPolicy, by actor: Actor) async throws -> IncidentPolicy {
        try Self.require(.manageIncidentSubscribers, actor)
        let checked: IncidentPolicy
        do {
            checked = try policy.checked()
            try IncidentText.check(checked.templates)
        } catch { throw TierdeskError.invalid(error) }
        try await settings.save(checked)
        return checked
    }
}

extension IncidentDesk {
    /// The active staff, who may lead an incident or own an action item.
    func staff() async throws -> [Person] { try await directory.activeStaff() }

    /// Reads a review's action items as a form writes them, one per line:
    /// `title | owner's e-mail | due date | ticket`; only the title is required.
    func actionItems(from text: String) async throws -> [PostIncidentReview.ActionItem] {
        var items: [PostIncidentReview.ActionItem] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            guard let title = parts.first, !title.isEmpty else { continue }
            var owner: UUID?
            if parts.count > 1, !parts[1].isEmpty {
                guard let person = try await directory.person(email: parts[1]) else {
                    throw TierdeskError.invalid(
                        field: "actionItems[\(index)].owner",
                        "no one has the e-mail address \(parts[1].prefix(100))"
                    )
                }
                owner = person.id
            }
            items.append(
                PostIncidentReview.ActionItem(
                    title: title,
                    ownerID: owner,
                    due: parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil,
                    ticket: parts.count > 3 && !parts[3].isEmpty ? parts[3] : nil
                )
            )
        }
        return items
    }

    /// The customer version of a review: for requesters of an organisation the incident affected, once the
    /// review is written (``AccessPolicy/decideIncidentReview(affecting:by:)``).
    func customerReview(_ reference: String, for actor: Actor) async throws -> (Detail, IncidentRepository.StoredReview)
    {
        let hidden = "No incident review is called \(reference.prefix(30))."
        guard let incident = try? await found(reference) else { throw TierdeskError.notFound(hidden) }
        try TierdeskError.check(
            AccessPolicy.decideIncidentReview(affecting: incident.organisationIDs, by: actor),
            notFound: hidden
        )
        let detail = try await detail(of: incident, for: actor)
        guard let review = detail.review, !incident.state.isActive else { throw TierdeskError.notFound(hidden) }
        return (detail, review)
    }
}
