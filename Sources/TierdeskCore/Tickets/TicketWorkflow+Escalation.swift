import Foundation

extension TicketWorkflow {
    /// Hands a ticket to the next tier. The service's gates decide what evidence must come with it; a refusal
    /// names every missing piece. Handing to a vendor (L4) needs the vendor checklist: a customisation stays
    /// with L3; a standard-product defect records the vendor, their reference and the business impact, puts
    /// the ticket on hold (its clocks pause) and tells the requester.
    public func escalate(
        _ ticket: Ticket,
        scope: TicketScope,
        request: EscalationRequest,
        context: EscalationContext,
        expectedVersion: Int,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.escalateTicket, by: actor, on: scope, ticket)
        try checkVersion(ticket, expectedVersion)
        guard ticket.status.isOpen else {
            throw .invalid(field: "status", "a \(ticket.status.rawValue) ticket cannot be escalated; reopen it first")
        }
        let model = context.service?.supportModel ?? .tiered
        var errors: [FieldError] = []
        let reason = TextLimits.body(request.reason, field: "reason", errors: &errors)
        guard
            let target = request.tier ?? context.group?.tier.flatMap({ $0 > ticket.tier ? $0 : nil })
                ?? ticket.tier.next
        else {
            throw .invalid(field: "tier", "\(ticket.reference) is at L4 already; there is no tier above the vendor")
        }
        if target <= ticket.tier {
            errors.append(
                FieldError(
                    field: "tier",
                    message: "must be above \(ticket.tier.rawValue); to hand the ticket down, de-escalate it"
                )
            )
        } else if model != .swarm, target != ticket.tier.next {
            errors.append(
                FieldError(
                    field: "tier",
                    message:
                        "escalate one tier at a time: \(ticket.tier.rawValue) hands to \(ticket.tier.next!.rawValue)"
                )
            )
        }
        // A wrong target is the whole answer: the gates of a tier it cannot go to do not matter.
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        if let name = request.group, context.group == nil {
            errors.append(
                FieldError(field: "group", message: "no support group is named \(name.prefix(TextLimits.label))")
            )
        } else if let refusal = context.group?.refusal(at: target) {
            errors.append(FieldError(field: "group", message: refusal))
        }
        if let id = request.ownerID {
            TicketReferences(owner: context.owner).checkOwner(id, errors: &errors)
        }
        var evidence: [(String, String)] = [("Reason", reason)]
        func required(_ value: String?, field: String, _ message: String) -> String? {
            guard let value, !value.trimmingWhitespace().isEmpty else {
                errors.append(FieldError(field: field, message: message))
                return nil
            }
            return TextLimits.body(value, field: field, errors: &errors)
        }
        let gated = model != .swarm
        var next = ticket
        var extra: [TicketEvent] = []
        switch target {
        case .l2 where gated && context.gates.l1ToL2 && ticket.tier == .l1:
            if let tried = required(request.tried, field: "tried", "say what L1 tried before escalating") {
                evidence.append(("Tried", tried))
            }
            let excerpt = request.logExcerpt.flatMap {
                $0.trimmingWhitespace().isEmpty ? nil : TextLimits.body($0, field: "logExcerpt", errors: &errors)
            }
            let none = request.noEvidenceReason.flatMap {
                $0.trimmingWhitespace().isEmpty ? nil : TextLimits.body($0, field: "noEvidenceReason", errors: &errors)
            }
            if context.attachmentCount == 0, excerpt == nil, none == nil {
                errors.append(
                    FieldError(
                        field: "evidence",
                        message:
                            "attach a screenshot or log file, paste a log excerpt (logExcerpt), or say why there is none (noEvidenceReason)"
                    )
                )
            }
            if let excerpt { evidence.append(("Log excerpt", excerpt)) }
            if let none { evidence.append(("Why no evidence", none)) }
            if context.attachmentCount > 0 {
                evidence.append(("Attachments", "\(context.attachmentCount) on the ticket"))
            }
        case .l3 where gated && context.gates.l2ToL3:
            if let steps = required(
                request.reproductionSteps,
                field: "reproductionSteps",
                "L3 accepts a ticket only with the steps that reproduce it"
            ) {
                evidence.append(("Reproduction steps", steps))
            }
            if let logs = required(
                request.logExtract,
                field: "logExtract",
                "L3 accepts a ticket only with a log extract"
            ) {
                evidence.append(("Log extract", logs))
            }
        case .l4:
            if gated && context.gates.l3ToL4 {
                if let place = required(
                    request.reproducedIn,
                    field: "reproducedIn",
                    "say where it was reproduced (QA or staging) before involving the vendor"
                ) {
                    evidence.append(("Reproduced in", place))
                }
                switch request.rootCause {
                case nil:
                    errors.append(
                        FieldError(
                            field: "rootCause",
                            message: "isolate the root cause first: standard_product or customisation"
                        )
                    )
                case .customisation?:
                    errors.append(
                        FieldError(
                            field: "rootCause",
                            message:
                                "a defect in our customisation stays with L3; the vendor only fixes its standard product"
                        )
                    )
                case .standardProduct?:
                    evidence.append(("Root cause", "standard product"))
                }
                if let reference = required(
                    request.vendorReference,
                    field: "vendorReference",
                    "record the vendor's ticket reference"
                ) {
                    next.vendorReference = TextLimits.line(
                        reference,
                        field: "vendorReference",
                        maxCharacters: TextLimits.label,
                        errors: &errors
                    )
                    evidence.append(("Vendor reference", reference))
                }
                if let impact = request.businessImpact {
                    if impact.amountPerHour <= 0 {
                        errors.append(
                            FieldError(field: "businessImpact.amountPerHour", message: "must be more than 0 per hour")
                        )
                    }
                    if impact.currency.count != 3 || !impact.currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                        errors.append(
                            FieldError(
                                field: "businessImpact.currency",
                                message: "must be an ISO 4217 code such as EUR"
                            )
                        )
                    }
                    next.businessImpact = impact
                    evidence.append(("Business impact", "\(impact.amountPerHour) \(impact.currency) per hour"))
                } else {
                    errors.append(
                        FieldError(field: "businessImpact", message: "quote the business impact in a currency per hour")
                    )
                }
            }
            if let id = request.vendorID {
                if let vendor = context.vendor, vendor.id == id {
                    next.vendorID = id
                    evidence.append(("Vendor", vendor.name))
                } else {
                    errors.append(FieldError(field: "vendorId", message: "no vendor has the id \(id.uuidString)"))
                }
            } else {
                errors.append(FieldError(field: "vendorId", message: "name the vendor who fixes it"))
            }
        default:
            break
        }
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }

        next.tier = target
        next.group = context.group?.name
        next.ownerID = request.ownerID
        extra = Self.differences(from: ticket, to: next, by: actor.personID, at: now).filter { $0.field != "tier" }
        var events = [
            TicketEvent(
                ticketID: ticket.id,
                kind: .escalated,
                actorID: actor.personID,
                at: now,
                field: "tier",
                before: ticket.tier.rawValue,
                after: target.rawValue,
                body: evidence.map { "\($0.0): \($0.1)" }.joined(separator: "\n\n"),
                byStaff: actor.isStaff
            )
        ]
        events += extra
        if target == .l4 {
            let vendor = context.vendor?.name ?? "the vendor"
            if next.status != .onHold, next.status.canMove(to: .onHold) {
                events.append(
                    TicketEvent(
                        ticketID: ticket.id,
                        kind: .statusChanged,
                        actorID: actor.personID,
                        at: now,
                        field: "status",
                        before: next.status.rawValue,
                        after: TicketStatus.onHold.rawValue,
                        byStaff: actor.isStaff
                    )
                )
                next.status = .onHold
            }
            let reference = next.vendorReference.map { " (their reference \($0))" } ?? ""
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .publicReply,
                    actorID: actor.personID,
                    at: now,
                    body:
                        "Your ticket \(ticket.reference) was escalated to \(vendor)\(reference) and now awaits the vendor. We will update you as soon as they answer.",
                    byStaff: actor.isStaff
                )
            )
        }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }

    /// Returns a ticket to a lower tier with a note. Leaving L4 ends the vendor's involvement (they no longer
    /// see it) and takes an on-hold ticket back into progress. Internal services have no L1.
    public func deescalate(
        _ ticket: Ticket,
        scope: TicketScope,
        to tier: Tier?,
        note: String,
        service: Service?,
        expectedVersion: Int,
        by actor: Actor,
        at now: Date
    ) throws(TierdeskError) -> (Ticket, [TicketEvent]) {
        try Self.authorize(.escalateTicket, by: actor, on: scope, ticket)
        try checkVersion(ticket, expectedVersion)
        guard ticket.status.isOpen else {
            throw .invalid(
                field: "status",
                "a \(ticket.status.rawValue) ticket cannot be de-escalated; reopen it first"
            )
        }
        var errors: [FieldError] = []
        let note = TextLimits.body(note, field: "note", errors: &errors)
        let entry = service?.supportModel.entryTier ?? .l1
        guard let target = tier ?? ticket.tier.previous else {
            throw .invalid(field: "tier", "\(ticket.reference) is at L1 already")
        }
        if target >= ticket.tier {
            errors.append(FieldError(field: "tier", message: "must be below \(ticket.tier.rawValue)"))
        }
        if target < entry {
            errors.append(
                FieldError(
                    field: "tier",
                    message:
                        "\(service?.name ?? "this service") is supported from \(entry.rawValue) up; it has no \(target.rawValue)"
                )
            )
        }
        if !errors.isEmpty { throw .invalid(ValidationFailure(errors)) }
        var next = ticket
        next.tier = target
        next.ownerID = nil
        next.group = nil
        if ticket.tier == .l4 { next.vendorID = nil }
        var events = [
            TicketEvent(
                ticketID: ticket.id,
                kind: .deescalated,
                actorID: actor.personID,
                at: now,
                field: "tier",
                before: ticket.tier.rawValue,
                after: target.rawValue,
                body: note,
                byStaff: actor.isStaff
            )
        ]
        events += Self.differences(from: ticket, to: next, by: actor.personID, at: now).filter { $0.field != "tier" }
        if ticket.tier == .l4, ticket.status == .onHold {
            events.append(
                TicketEvent(
                    ticketID: ticket.id,
                    kind: .statusChanged,
                    actorID: actor.personID,
                    at: now,
                    field: "status",
                    before: TicketStatus.onHold.rawValue,
                    after: TicketStatus.inProgress.rawValue,
                    byStaff: actor.isStaff
                )
            )
            next.status = .inProgress
        }
        next.version += 1
        next.updatedAt = now
        return (next, events)
    }
}
