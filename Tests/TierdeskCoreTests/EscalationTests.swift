import Foundation
import Testing

@testable import TierdeskCore

/// Escalation through the evidence gates: each refusal names exactly what is missing.
@Suite struct EscalationTests {
    static let now = TicketWorkflowTests.now
    static let l1 = TicketWorkflowTests.agent
    static let l3 = Person(
        id: UUID(),
        email: "l3@example.com",
        name: "Lea L3",
        roles: [.agent],
        tier: .l3,
        createdAt: now
    )
    static let vendor = Vendor(id: UUID(), name: "NordERP", createdAt: now)
    static let tiered = Service(id: UUID(), name: "MES", supportModel: .tiered, createdAt: now)
    let workflow = TicketWorkflow()

    func ticket(at tier: Tier, status: TicketStatus = .inProgress, service: Service = tiered) throws -> Ticket {
        var ticket = try TicketWorkflowTests().openTicket()
        ticket.tier = tier
        ticket.status = status
        ticket.serviceID = service.id
        return ticket
    }

    func escalate(
        _ ticket: Ticket,
        _ request: EscalationRequest,
        service: Service = tiered,
        gates: EscalationGates = .all,
        attachments: Int = 0,
        by actor: Actor = l3.actor
    ) throws -> (Ticket, [TicketEvent]) {
        try workflow.escalate(
            ticket,
            scope: TicketWorkflowTests.scope,
            request: request,
            context: EscalationContext(
                service: service,
                gates: gates,
                attachmentCount: attachments,
                vendor: Self.vendor
            ),
            expectedVersion: ticket.version,
            by: actor,
            at: Self.now
        )
    }

    func refusal(_ body: () throws -> Any) -> [String] {
        do {
            _ = try body()
            return []
        } catch let TierdeskError.invalid(failure) {
            return failure.errors.map { "\($0.field): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func l1ToL2NeedsWhatWasTriedAndEvidence() throws {
        let ticket = try ticket(at: .l1)
        #expect(
            refusal { try escalate(ticket, EscalationRequest(reason: "Beyond L1")) } == [
                "tried: say what L1 tried before escalating",
                "evidence: attach a screenshot or log file, paste a log excerpt (logExcerpt), or say why there is none (noEvidenceReason)",
            ]
        )
        // Any one piece of evidence will do: an attachment, a log excerpt, or a reason why there is none.
        for (request, attachments) in [
            (EscalationRequest(reason: "Beyond L1", tried: "Restarted"), 1),
            (EscalationRequest(reason: "Beyond L1", tried: "Restarted", logExcerpt: "ERROR x"), 0),
            (
                EscalationRequest(
                    reason: "Beyond L1",
                    tried: "Restarted",
                    noEvidenceReason: "The terminal shows nothing"
                ), 0
            ),
        ] {
            let (next, events) = try escalate(ticket, request, attachments: attachments, by: Self.l1.actor)
            #expect(next.tier == .l2 && next.ownerID == nil && next.version == ticket.version + 1)
            #expect(
                events[0].kind == .escalated && events[0].before == "L1" && events[0].after == "L2"
                    && events[0].body?.contains("Tried: Restarted") == true
            )
            #expect(events[0].kind.isInternal)
        }
        #expect(
            refusal { try escalate(ticket, EscalationRequest(tier: .l3, reason: "Skip", tried: "x", logExcerpt: "y")) }
                == ["tier: escalate one tier at a time: L1 hands to L2"]
        )
    }

    @Test func aGroupTakesTicketsOfItsOwnTier() throws {
        let ticket = try ticket(at: .l1)
        func escalate(to group: SupportGroup, tier: Tier? = .l2) throws -> (Ticket, [TicketEvent]) {
            let request = EscalationRequest(
                tier: tier,
                group: group.name,
                reason: "Beyond L1",
                tried: "Restarted",
                logExcerpt: "ERROR x"
            )
            return try workflow.escalate(
                ticket,
                scope: TicketWorkflowTests.scope,
                request: request,
                context: EscalationContext(service: Self.tiered, gates: .all, attachmentCount: 0, group: group),
                expectedVersion: ticket.version,
                by: Self.l1.actor,
                at: Self.now
            )
        }
        #expect(
            refusal { try escalate(to: SupportGroup(name: "MES engineering", tier: .l3, leadID: nil)) } == [
                "group: MES engineering works at L3, not L2; choose a group of L2"
            ]
        )
        #expect(try escalate(to: SupportGroup(name: "MES support", tier: .l2, leadID: nil)).0.group == "MES support")
        #expect(try escalate(to: SupportGroup(name: "Everyone", tier: nil, leadID: nil)).0.tier == .l2)
        // At L4 the vendor works the ticket and the group follows it: an L3 group may go along.
        let atL3 = try self.ticket(at: .l3)
        let vendorRequest = EscalationRequest(
            group: "ERP integration",
            reason: "Vendor bug",
            reproducedIn: "QA",
            rootCause: .standardProduct,
            vendorID: Self.vendor.id,
            vendorReference: "NE-1",
            businessImpact: BusinessImpact(amountPerHour: 500, currency: "EUR")
        )
        let context = EscalationContext(
            service: Self.tiered,
            gates: .all,
            attachmentCount: 0,
            vendor: Self.vendor,
            group: SupportGroup(name: "ERP integration", tier: .l3, leadID: nil)
        )
        let handed = try workflow.escalate(
            atL3,
            scope: TicketWorkflowTests.scope,
            request: vendorRequest,
            context: context,
            expectedVersion: atL3.version,
            by: Self.l3.actor,
            at: Self.now
        )
        #expect(handed.0.tier == .l4 && handed.0.group == "ERP integration")
        // Without a tier, the group's tier is the target, and the one-tier rule speaks.
        #expect(
            refusal { try escalate(to: SupportGroup(name: "MES engineering", tier: .l3, leadID: nil), tier: nil) } == [
                "tier: escalate one tier at a time: L1 hands to L2"
            ]
        )
    }

    @Test func l2ToL3IsTheEntryGate() throws {
        let ticket = try ticket(at: .l2)
        #expect(
            refusal { try escalate(ticket, EscalationRequest(reason: "Code defect", reproductionSteps: "  ")) } == [
                "reproductionSteps: L3 accepts a ticket only with the steps that reproduce it",
                "logExtract: L3 accepts a ticket only with a log extract",
            ]
        )
        let (next, events) = try escalate(
            ticket,
            EscalationRequest(
                ownerID: nil,
                reason: "Code defect",
                reproductionSteps: "1. Post a goods movement",
                logExtract: "ERROR M7 021"
            )
        )
        #expect(
            next.tier == .l3 && events.count == 1
                && events[0].body
                    == "Reason: Code defect\n\nReproduction steps: 1. Post a goods movement\n\nLog extract: ERROR M7 021"
        )
    }

    @Test func theVendorChecklistKeepsCustomisationWithL3() throws {
        let ticket = try ticket(at: .l3)
        #expect(
            refusal { try escalate(ticket, EscalationRequest(reason: "Vendor bug")) } == [
                "reproducedIn: say where it was reproduced (QA or staging) before involving the vendor",
                "rootCause: isolate the root cause first: standard_product or customisation",
                "vendorReference: record the vendor's ticket reference",
                "businessImpact: quote the business impact in a currency per hour",
                "vendorId: name the vendor who fixes it",
            ]
        )
        let customised = EscalationRequest(
            reason: "Vendor bug",
            reproducedIn: "QA",
            rootCause: .customisation,
            vendorID: Self.vendor.id,
            vendorReference: "NE-1",
            businessImpact: BusinessImpact(amountPerHour: 500, currency: "EUR")
        )
        #expect(
            refusal { try escalate(ticket, customised) } == [
                "rootCause: a defect in our customisation stays with L3; the vendor only fixes its standard product"
            ]
        )
        var wrong = customised
        wrong.rootCause = .standardProduct
        wrong.businessImpact = BusinessImpact(amountPerHour: 0, currency: "euro")
        #expect(
            refusal { try escalate(ticket, wrong) } == [
                "businessImpact.amountPerHour: must be more than 0 per hour",
                "businessImpact.currency: must be an ISO 4217 code such as EUR",
            ]
        )

        var standard = customised
        standard.rootCause = .standardProduct
        let (next, events) = try escalate(ticket, standard)
        #expect(
            next.tier == .l4 && next.vendorID == Self.vendor.id && next.vendorReference == "NE-1"
                && next.status == .onHold
        )
        #expect(next.businessImpact == BusinessImpact(amountPerHour: 500, currency: "EUR"))
        #expect(events.map(\.kind) == [.escalated, .tierChanged, .statusChanged, .publicReply])
        #expect(
            events.last?.body
                == "Your ticket TD-1042 was escalated to NordERP (their reference NE-1) and now awaits the vendor. We will update you as soon as they answer."
        )
        #expect(
            refusal { try escalate(next, EscalationRequest(reason: "Higher")) } == [
                "tier: TD-1042 is at L4 already; there is no tier above the vendor"
            ]
        )

        // Back from the vendor: they no longer see it, and it is worked on again.
        let (back, backEvents) = try workflow.deescalate(
            next,
            scope: TicketWorkflowTests.scope,
            to: nil,
            note: "Vendor patch applied; verifying",
            service: Self.tiered,
            expectedVersion: next.version,
            by: Self.l3.actor,
            at: Self.now
        )
        #expect(back.tier == .l3 && back.vendorID == nil && back.status == .inProgress)
        #expect(backEvents.map(\.kind) == [.deescalated, .tierChanged, .statusChanged])
    }

    @Test func gatesFollowTheServiceAndItsSupportModel() throws {
        let swarm = Service(id: UUID(), name: "Scanners", supportModel: .swarm, createdAt: Self.now)
        let internalService = Service(id: UUID(), name: "Data platform", supportModel: .internal, createdAt: Self.now)
        // A swarm has no gates and may hand to any tier; a gate switched off for a service lets it pass.
        #expect(
            try escalate(
                try ticket(at: .l1, service: swarm),
                EscalationRequest(tier: .l3, reason: "Swarm"),
                service: swarm
            )
            .0.tier == .l3
        )
        #expect(
            try escalate(try ticket(at: .l2), EscalationRequest(reason: "Known"), gates: EscalationGates(l2ToL3: false))
                .0.tier == .l3
        )
        // Internal services start at L2 and have no L1 to return to.
        let atL2 = try ticket(at: .l2, service: internalService)
        #expect(
            refusal {
                try workflow.deescalate(
                    atL2,
                    scope: TicketWorkflowTests.scope,
                    to: nil,
                    note: "Back",
                    service: internalService,
                    expectedVersion: atL2.version,
                    by: Self.l3.actor,
                    at: Self.now
                )
            } == ["tier: Data platform is supported from L2 up; it has no L1"]
        )
        // Requesters cannot escalate; resolved tickets cannot be; the note is required going down.
        #expect(throws: TierdeskError.self) {
            try escalate(
                try ticket(at: .l1),
                EscalationRequest(reason: "Please"),
                by: TicketWorkflowTests.requester.actor
            )
        }
        #expect(
            refusal { try escalate(try ticket(at: .l2, status: .resolved), EscalationRequest(reason: "x")) } == [
                "status: a resolved ticket cannot be escalated; reopen it first"
            ]
        )
        let atL3 = try ticket(at: .l3)
        #expect(
            refusal {
                try workflow.deescalate(
                    atL3,
                    scope: TicketWorkflowTests.scope,
                    to: .l3,
                    note: " ",
                    service: Self.tiered,
                    expectedVersion: atL3.version,
                    by: Self.l3.actor,
                    at: Self.now
                )
            } == ["note: must not be empty", "tier: must be below L3"]
        )
    }
}

/// A workaround lets the owner downgrade a P3 to P4.
@Suite struct WorkaroundTests {
    @Test func theOwnerDowngradesAP3WithAWorkaround() throws {
        var ticket = try TicketWorkflowTests().openTicket()
        ticket.ownerID = TicketWorkflowTests.agent.id
        let workflow = TicketWorkflow()
        let scope = TicketWorkflowTests.scope
        let other = Person(
            id: UUID(),
            email: "x@example.com",
            name: "Other",
            roles: [.agent],
            tier: .l1,
            createdAt: TicketWorkflowTests.now
        )
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(field: "downgrade", message: "only the ticket's owner may downgrade it")
            )
        ) {
            try workflow.applyWorkaround(
                to: ticket,
                scope: scope,
                description: "Manual posting",
                downgrade: true,
                expectedVersion: 1,
                by: other.actor,
                at: TicketWorkflowTests.now
            )
        }
        let (next, events) = try workflow.applyWorkaround(
            to: ticket,
            scope: scope,
            description: "Post manually until the fix",
            downgrade: true,
            expectedVersion: 1,
            by: TicketWorkflowTests.agent.actor,
            at: TicketWorkflowTests.now
        )
        #expect(next.priority == .p4 && next.workaroundApplied && next.version == 2)
        #expect(events.map { $0.field ?? "" } == ["workaroundApplied", "priority"])
        #expect(events[1].body == "Downgraded with a workaround: Post manually until the fix")
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(
                    field: "downgrade",
                    message: "only a P3 goes down to P4 with a workaround; this ticket is P4"
                )
            )
        ) {
            try workflow.applyWorkaround(
                to: next,
                scope: scope,
                description: "Again",
                downgrade: true,
                expectedVersion: 2,
                by: TicketWorkflowTests.agent.actor,
                at: TicketWorkflowTests.now
            )
        }
    }
}
