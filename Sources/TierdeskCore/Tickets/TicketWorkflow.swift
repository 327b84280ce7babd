import Foundation

/// The rules for opening and changing tickets. Pure: it takes the current state, the actor and the instant,
/// checks access through ``AccessPolicy`` and returns the new state with the events that record the change.
public struct TicketWorkflow: Sendable {
    public var matrix: PriorityMatrix

    public init(matrix: PriorityMatrix = .standard) {
        self.matrix = matrix
    }

    /// Asks the access policy whether `actor` may do `action` on the ticket; a ticket the actor may not see
    /// is "not found", so references do not leak.
    static func authorize(
        _ action: Action,
        by actor: Actor,
        on scope: TicketScope,
        _ ticket: Ticket
    ) throws(TierdeskError) {
        try TierdeskError.check(
            AccessPolicy.decide(action, by: actor, on: scope),
            notFound: "No ticket \(ticket.reference)."
        )
    }

    /// Opens a ticket from a draft. `references.requester` must be the person the ticket is for
    /// (the draft's requester, or the actor when the draft names none).
    public func open(
        _ draft: TicketDraft,
        by actor: Actor,
        references: TicketReferences,
        id: UUID = .timeOrdered(),
        number: Int,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, TicketEvent) {
        try TierdeskError.check(AccessPolicy.decide(.createTicket, by: actor), notFound: "")
        // Tier, group, owner and severity are the desk's decisions (triage rules still set them): a requester
        // who could choose them would open tickets straight at L3 and skip the evidence gates.
        let staffFields = [
            ("tier", draft.tier != nil), ("group", draft.group != nil), ("severity", draft.severity != nil),
            ("ownerId", draft.ownerID != nil),
        ]
        .filter(\.1).map(\.0)
        let forSomeoneElse = draft.requesterID.map { $0 != actor.personID } ?? false
        if forSomeoneElse || !staffFields.isEmpty,
            case .forbidden(let reason) = AccessPolicy.decide(.createTicketForOthers, by: actor)
        {
            if staffFields.isEmpty { throw .forbidden(reason) }
            throw .forbidden(
                "Only agents and managers set tier, group, severity and owner; leave out \(staffFields.joined(separator: ", "))."
            )
        }
        var errors: [FieldError] = []
        let title = TextLimits.line(draft.title, field: "title", maxCharacters: TextLimits.title, errors: &errors)
        let description = TextLimits.body(draft.description, field: "description", errors: &errors)
        let group = draft.group.map {
            TextLimits.line($0, field: "group", maxCharacters: TextLimits.label, errors: &errors)
        }
        let requesterID = draft.requesterID ?? actor.personID
        var organisationID = draft.organisationID
        if let requester = references.requester, requester.id == requesterID {
            if let own = requester.organisationID {
                if let given = organisationID, given != own {
                    errors.append(
                        FieldError(
                            field: "organisationId",
                            message: "\(requester.name) belongs to another organisation"
                        )
                    )
                }
                organisationID = own
            } else if let given = organisationID {
                if references.organisation?.id != given {
                    errors.append(
                        FieldError(field: "organisationId", message: "no organisation has the id \(given.uuidString)")
                    )
                }
            } else {
                organisationID = Organisation.internalID
            }
        } else {
            errors.append(FieldError(field: "requesterId", message: "no person has the id \(requesterID.uuidString)"))
        }
        references.checkService(draft.serviceID, errors: &errors)
        references.checkOwner(draft.ownerID, errors: &errors)
        TicketAttributes.check(draft.attributes, errors: &errors)
        if draft.tier == .l4 {
            errors.append(
                FieldError(field: "tier", message: "a ticket cannot start at L4; escalate it to a vendor instead")
            )
        }
        guard errors.isEmpty, let organisationID else { throw .invalid(ValidationFailure(errors)) }

        let impact = draft.impact ?? .medium
        let urgency = draft.urgency ?? .medium
        let priority = matrix.priority(impact: impact, urgency: urgency)
        let tier = draft.tier ?? references.service?.supportModel.entryTier ?? .l1
        let ticket = Ticket(
            id: id,
            number: number,
            type: draft.type ?? .incident,
            channel: draft.channel ?? .api,
            title: title,
            description: description,
            requesterID: requesterID,
            organisationID: organisationID,
            serviceID: draft.serviceID,
            impact: impact,
            urgency: urgency,
            priority: priority,
            severity: draft.severity ?? Severity(derivedFrom: priority),
            status: .new,
            tier: tier,
            group: group,
            ownerID: draft.ownerID,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: draft.requestedBy,
            version: 1,
            createdAt: now,
            updatedAt: now
        )
        var opened = ticket
        opened.attributes = draft.attributes.mapValues { $0.trimmingWhitespace() }
        let event = TicketEvent(ticketID: id, kind: .created, actorID: actor.personID, at: now, after: ticket.reference)
        return (opened, event)
    }

    /// Applies field changes. `expectedVersion` is the version the caller last saw.
    /// A ticket the actor may not see is "not found" whatever the changes (even none), before the version check.
    public func update(
        _ ticket: Ticket,
        scope: TicketScope,
        with changes: TicketChanges,
        expectedVersion: Int,
        by actor: Actor,
        references: TicketReferences,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.viewTicket, by: actor, on: scope, ticket)
        for action in changes.requiredActions.sorted(by: { $0.rawValue < $1.rawValue }) {
            try Self.authorize(action, by: actor, on: scope, ticket)
        }
        try checkVersion(ticket, expectedVersion)
        var errors: [FieldError] = []
        var next = ticket
        if let title = changes.title {
            next.title = TextLimits.line(title, field: "title", maxCharacters: TextLimits.title, errors: &errors)
        }
        if let description = changes.description {
            next.description = TextLimits.body(description, field: "description", errors: &errors)
        }
        if let type = changes.type { next.type = type }
        if let impact = changes.impact { next.impact = impact }
        if let urgency = changes.urgency { next.urgency = urgency }
        matrix.rederive(&next, from: ticket, severity: changes.severity)
        if let serviceID = changes.serviceID {
            references.checkService(serviceID, errors: &errors)
            next.serviceID = serviceID
        }
        if let group = changes.group {
            next.group = group.map {
                TextLimits.line($0, field: "group", maxCharacters: TextLimits.label, errors: &errors)
            }
        }
        if let ownerID = changes.ownerID {
            references.checkOwner(ownerID, errors: &errors)
            next.ownerID = ownerID
        }
        // Tiers and vendors change only by escalating, so the gates apply on every channel.
        if let tier = changes.tier, tier != ticket.tier {
            errors.append(
                FieldError(
                    field: "tier",
                    message:
                        "changes only by escalating (POST /api/v1/tickets/\(ticket.reference)/escalations) or de-escalating, which check the evidence"
                )
            )
        }
        if let vendorID = changes.vendorID, vendorID != ticket.vendorID {
            errors.append(
                FieldError(field: "vendorId", message: "is set by escalating to L4 with the vendor checklist")
            )
        }
        if let workaround = changes.workaroundApplied { next.workaroundApplied = workaround }
        if let requestedBy = changes.requestedBy { next.requestedBy = requestedBy }
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }

        let events = Self.differences(from: ticket, to: next, by: actor.personID, at: now)
        guard !events.isEmpty else { return (ticket, []) }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }

    /// Moves a ticket to another status, optionally with a comment that the requester sees.
    public func changeStatus(
        _ ticket: Ticket,
        scope: TicketScope,
        to status: TicketStatus,
        comment: String?,
        resolution: Resolution? = nil,
        expectedVersion: Int,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.changeStatus, by: actor, on: scope, ticket)
        try checkVersion(ticket, expectedVersion)
        guard ticket.status.canMove(to: status) else {
            throw .invalid(field: "status", "a \(ticket.status.rawValue) ticket cannot move to \(status.rawValue)")
        }
        var errors: [FieldError] = []
        let body = comment.map { TextLimits.body($0, field: "comment", errors: &errors) }
        let resolving = status == .resolved || (status == .closed && ticket.status.isOpen)
        if let resolution {
            if !resolving {
                errors.append(FieldError(field: "resolution", message: "is given only when resolving a ticket"))
            } else if resolution == .confirmedDefectFixed || resolution == .knownError, ticket.knownErrorID == nil {
                errors.append(
                    FieldError(
                        field: "resolution",
                        message:
                            "\(resolution.rawValue) needs a Known Error Database article: link an existing one or write one for this fix first"
                    )
                )
            }
        }
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        var next = ticket
        next.status = status
        var events = [
            TicketEvent(
                ticketID: ticket.id,
                kind: .statusChanged,
                actorID: actor.personID,
                at: now,
                field: "status",
                before: ticket.status.rawValue,
                after: status.rawValue,
                body: body,
                byStaff: actor.isStaff
            )
        ]
        // A reopened ticket is no longer resolved in any way.
        let outcome = resolving ? resolution : (status.isOpen ? nil : ticket.resolution)
        if outcome != ticket.resolution {
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .fieldChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "resolution",
                    before: ticket.resolution?.rawValue,
                    after: outcome?.rawValue,
                    byStaff: actor.isStaff
                )
            )
            next.resolution = outcome
        }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }

    /// Adds a public reply (`isInternal == false`) or an internal note. A requester's reply to a ticket
    /// that waits on them puts it back in progress. A vendor contact's reply goes into the vendor thread
    /// (``TicketEventKind/vendorMessage``): the requester does not read the vendor's words.
    public func addMessage(
        to ticket: Ticket,
        scope: TicketScope,
        body: String,
        isInternal: Bool,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(isInternal ? .addInternalNote : .replyPublicly, by: actor, on: scope, ticket)
        var errors: [FieldError] = []
        let text = TextLimits.body(body, field: "body", errors: &errors)
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        var next = ticket
        next.updatedAt = now
        // A vendor contact's reply goes into its vendor's thread, which the event names.
        let toVendor = !isInternal && TicketAudience.of(actor).isVendor
        var events = [
            TicketEvent(
                ticketID: ticket.id,
                kind: isInternal ? .internalNote : toVendor ? .vendorMessage : .publicReply,
                actorID: actor.personID,
                at: now,
                field: toVendor ? "vendorId" : nil,
                after: toVendor ? ticket.vendorID?.uuidString : nil,
                body: text,
                byStaff: actor.isStaff
            )
        ]
        if !isInternal, actor.personID == ticket.requesterID, ticket.status == .pendingCustomer {
            next.status = .inProgress
            next.version += 1
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .statusChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "status",
                    before: ticket.status.rawValue,
                    after: next.status.rawValue
                )
            )
        }
        return (next, events)
    }

    /// Records a data correction made in the supported system (privileged write, always audited).
    public func recordCorrection(
        on ticket: Ticket,
        scope: TicketScope,
        target: String,
        change: String,
        reason: String,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> TicketEvent {
        try Self.authorize(.privilegedWrite, by: actor, on: scope, ticket)
        var errors: [FieldError] = []
        let target = TextLimits.line(target, field: "target", maxCharacters: TextLimits.name, errors: &errors)
        let change = TextLimits.body(change, field: "change", errors: &errors)
        let reason = TextLimits.body(reason, field: "reason", errors: &errors)
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        return TicketEvent(
            ticketID: ticket.id,
            kind: .dataCorrection,
            actorID: actor.personID,
            at: now,
            field: target,
            after: change,
            body: reason
        )
    }

    func checkVersion(_ ticket: Ticket, _ expected: Int) throws(TierdeskError) {
        guard expected == ticket.version else {
            throw .conflict(
                "\(ticket.reference) was changed by someone else (you sent version \(expected), it is now at version \(ticket.version)). Reload it and apply your change again."
            )
        }
    }

    /// One event per changed field, in a fixed order.
    static func differences(from old: Ticket, to new: Ticket, by actor: UUID, at now: Date) -> [TicketEvent] {
        var events: [TicketEvent] = []
        func record(_ kind: TicketEventKind, _ field: String, _ before: String?, _ after: String?) {
            if before != after {
                events.append(
                    TicketEvent(
                        ticketID: old.id,
                        kind: kind,
                        actorID: actor,
                        at: now,
                        field: field,
                        before: before,
                        after: after
                    )
                )
            }
        }
        record(.fieldChanged, "title", old.title, new.title)
        record(.fieldChanged, "description", old.description, new.description)
        record(.fieldChanged, "type", old.type.rawValue, new.type.rawValue)
        record(.fieldChanged, "impact", old.impact.rawValue, new.impact.rawValue)
        record(.fieldChanged, "urgency", old.urgency.rawValue, new.urgency.rawValue)
        record(.fieldChanged, "priority", old.priority.rawValue, new.priority.rawValue)
        record(.fieldChanged, "severity", old.severity.rawValue, new.severity.rawValue)
        record(.fieldChanged, "serviceId", old.serviceID?.uuidString, new.serviceID?.uuidString)
        record(.assigned, "group", old.group, new.group)
        record(.assigned, "ownerId", old.ownerID?.uuidString, new.ownerID?.uuidString)
        record(.tierChanged, "vendorId", old.vendorID?.uuidString, new.vendorID?.uuidString)
        record(.tierChanged, "tier", old.tier.rawValue, new.tier.rawValue)
        record(.fieldChanged, "workaroundApplied", String(old.workaroundApplied), String(new.workaroundApplied))
        record(
            .fieldChanged,
            "requestedBy",
            old.requestedBy.map(Timestamp.format),
            new.requestedBy.map(Timestamp.format)
        )
        return events
    }
}
