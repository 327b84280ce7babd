import Foundation
import Testing

@testable import TierdeskCore

@Suite struct TicketWorkflowTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let organisation = UUID()
    static let requester = Person(
        id: UUID(),
        email: "req@example.com",
        name: "Rita Requester",
        roles: [.requester],
        organisationID: organisation,
        createdAt: now
    )
    static let agent = Person(
        id: UUID(),
        email: "l1@example.com",
        name: "Lars L1",
        roles: [.agent],
        tier: .l1,
        createdAt: now
    )
    static let scope = TicketScope(
        requesterID: requester.id,
        organisationID: organisation,
        organisationSharesTickets: false,
        vendorID: nil
    )

    let workflow = TicketWorkflow()

    func openTicket(_ draft: TicketDraft = TicketDraft(title: "Printer jam", description: "Line 2 printer jams."))
        throws -> Ticket
    {
        try workflow.open(
            draft,
            by: Self.requester.actor,
            references: TicketReferences(requester: Self.requester),
            number: 1042,
            at: Self.now
        )
        .0
    }

    @Test func titleAndDescriptionAreEnough() throws {
        let (ticket, event) = try workflow.open(
            TicketDraft(title: "  Printer jam ", description: "Line 2 printer jams."),
            by: Self.requester.actor,
            references: TicketReferences(requester: Self.requester),
            number: 1042,
            at: Self.now
        )
        #expect(ticket.reference == "TD-1042")
        #expect(ticket.title == "Printer jam")
        #expect(ticket.requesterID == Self.requester.id)
        #expect(ticket.organisationID == Self.organisation)
        #expect(ticket.type == .incident && ticket.channel == .api)
        #expect(
            ticket.impact == .medium && ticket.urgency == .medium && ticket.priority == .p3 && ticket.severity == .sev3
        )
        #expect(ticket.status == .new && ticket.tier == .l1 && ticket.version == 1)
        #expect(event.kind == .created && event.actorID == Self.requester.id && event.at == Self.now)
    }

    @Test func internalServiceStartsAtL2AndStaffTicketsGoToTheInternalOrganisation() throws {
        let service = Service(id: UUID(), name: "Data platform", supportModel: .internal, createdAt: Self.now)
        let (ticket, _) = try workflow.open(
            TicketDraft(
                title: "Disk full",
                description: "Replica disk at 95 %",
                impact: .high,
                urgency: .high,
                serviceID: service.id
            ),
            by: Self.agent.actor,
            references: TicketReferences(requester: Self.agent, service: service),
            number: 7,
            at: Self.now
        )
        #expect(ticket.tier == .l2)
        #expect(ticket.priority == .p1 && ticket.severity == .sev1)
        #expect(ticket.organisationID == Organisation.internalID)
    }

    @Test func invalidDraftNamesEveryField() {
        let long = String(repeating: "x", count: TextLimits.title + 1)
        let huge = String(repeating: "y", count: TextLimits.body + 1)
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure([
                    FieldError(field: "title", message: "must be at most 300 characters (got 301)"),
                    FieldError(field: "description", message: "must be at most 1048576 bytes (got 1048577)"),
                ])
            )
        ) {
            try openTicket(TicketDraft(title: long, description: huge))
        }
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(field: "title", message: "must not contain control characters such as line breaks")
            )
        ) {
            try openTicket(TicketDraft(title: "a\nb", description: "x"))
        }
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(field: "description", message: "must not contain NUL characters")
            )
        ) {
            try openTicket(TicketDraft(title: "a", description: "before\u{0}after"))
        }
        #expect(throws: TierdeskError.invalid(ValidationFailure(field: "description", message: "must not be empty"))) {
            try openTicket(TicketDraft(title: "a", description: "  \n "))
        }
    }

    @Test func requesterCannotOpenForSomeoneElseOrSetSeverity() {
        #expect(throws: TierdeskError.self) {
            try openTicket(TicketDraft(title: "a", description: "b", severity: .sev1))
        }
        #expect(throws: TierdeskError.self) {
            try openTicket(TicketDraft(title: "a", description: "b", requesterID: UUID()))
        }
    }

    @Test func updateRecordsBeforeAndAfterAndRederivesSeverity() throws {
        let ticket = try openTicket()
        let (next, events) = try workflow.update(
            ticket,
            scope: Self.scope,
            with: TicketChanges(impact: .high, urgency: .high, ownerID: .some(Self.agent.id)),
            expectedVersion: 1,
            by: Self.agent.actor,
            references: TicketReferences(owner: Self.agent),
            at: Self.now.addingTimeInterval(60)
        )
        #expect(next.priority == .p1 && next.severity == .sev1 && next.version == 2)
        let summary = events.map { "\($0.kind.rawValue) \($0.field ?? "") \($0.before ?? "nil")→\($0.after ?? "nil")" }
        #expect(
            summary == [
                "field_changed impact medium→high",
                "field_changed urgency medium→high",
                "field_changed priority P3→P1",
                "field_changed severity Sev3→Sev1",
                "assigned ownerId nil→\(Self.agent.id.uuidString)",
            ]
        )
    }

    @Test func staleVersionIsAConflict() throws {
        let ticket = try openTicket()
        #expect(
            throws: TierdeskError.conflict(
                "TD-1042 was changed by someone else (you sent version 3, it is now at version 1). Reload it and apply your change again."
            )
        ) {
            try workflow.update(
                ticket,
                scope: Self.scope,
                with: TicketChanges(title: "New"),
                expectedVersion: 3,
                by: Self.agent.actor,
                references: TicketReferences(),
                at: Self.now
            )
        }
    }

    @Test func unchangedUpdateProducesNothing() throws {
        let ticket = try openTicket()
        let (next, events) = try workflow.update(
            ticket,
            scope: Self.scope,
            with: TicketChanges(title: "Printer jam"),
            expectedVersion: 1,
            by: Self.agent.actor,
            references: TicketReferences(),
            at: Self.now
        )
        #expect(events.isEmpty && next == ticket)
    }

    @Test func requesterCannotTriage() throws {
        let ticket = try openTicket()
        #expect(throws: TierdeskError.forbidden("Only agents may triage tickets.")) {
            try workflow.update(
                ticket,
                scope: Self.scope,
                with: TicketChanges(impact: .high),
                expectedVersion: 1,
                by: Self.requester.actor,
                references: TicketReferences(),
                at: Self.now
            )
        }
    }

    @Test func tiersChangeOnlyThroughTheGates() throws {
        let ticket = try openTicket()
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(
                    field: "tier",
                    message:
                        "changes only by escalating (POST /api/v1/tickets/TD-1042/escalations) or de-escalating, which check the evidence"
                )
            )
        ) {
            try workflow.update(
                ticket,
                scope: Self.scope,
                with: TicketChanges(tier: .l4),
                expectedVersion: 1,
                by: Self.agent.actor,
                references: TicketReferences(),
                at: Self.now
            )
        }
    }

    @Test func statusTransitions() throws {
        let ticket = try openTicket()
        let (resolved, events) = try workflow.changeStatus(
            ticket,
            scope: Self.scope,
            to: .resolved,
            comment: "Fixed",
            expectedVersion: 1,
            by: Self.agent.actor,
            at: Self.now
        )
        #expect(
            resolved.status == .resolved && events.first?.before == "new" && events.first?.after == "resolved"
                && events.first?.body == "Fixed"
        )
        let (closed, _) = try workflow.changeStatus(
            resolved,
            scope: Self.scope,
            to: .closed,
            comment: nil,
            expectedVersion: 2,
            by: Self.agent.actor,
            at: Self.now
        )
        #expect(
            throws: TierdeskError.invalid(
                ValidationFailure(field: "status", message: "a closed ticket cannot move to in_progress")
            )
        ) {
            try workflow.changeStatus(
                closed,
                scope: Self.scope,
                to: .inProgress,
                comment: nil,
                expectedVersion: 3,
                by: Self.agent.actor,
                at: Self.now
            )
        }
        #expect(TicketStatus.resolved.canMove(to: .inProgress))
        #expect(!TicketStatus.inProgress.canMove(to: .new))
    }

    @Test func requesterReplyPutsAWaitingTicketBackInProgress() throws {
        var ticket = try openTicket()
        ticket.status = .pendingCustomer
        let (next, events) = try workflow.addMessage(
            to: ticket,
            scope: Self.scope,
            body: "Here is the screenshot.",
            isInternal: false,
            by: Self.requester.actor,
            at: Self.now
        )
        #expect(next.status == .inProgress && next.version == 2)
        #expect(events.map(\.kind) == [.publicReply, .statusChanged])
    }

    @Test func requesterCannotWriteInternalNotesOrCorrections() throws {
        let ticket = try openTicket()
        #expect(throws: TierdeskError.forbidden("Internal notes are for staff only.")) {
            try workflow.addMessage(
                to: ticket,
                scope: Self.scope,
                body: "x",
                isInternal: true,
                by: Self.requester.actor,
                at: Self.now
            )
        }
        #expect(throws: TierdeskError.forbidden("Data corrections are limited to L2 and L3 agents and admins.")) {
            try workflow.recordCorrection(
                on: ticket,
                scope: Self.scope,
                target: "Order 4711",
                change: "routing 2 → 3",
                reason: "wrong routing",
                by: Self.agent.actor,
                at: Self.now
            )
        }
        let l2 = Actor(personID: UUID(), roles: [.agent], tier: .l2)
        let event = try workflow.recordCorrection(
            on: ticket,
            scope: Self.scope,
            target: "Order 4711",
            change: "routing 2 → 3",
            reason: "wrong routing",
            by: l2,
            at: Self.now
        )
        #expect(event.kind == .dataCorrection && event.kind.isInternal && event.field == "Order 4711")
    }

    @Test func referencesParse() {
        #expect(TicketReference.number(in: "TD-1042") == 1042)
        #expect(TicketReference.number(in: "td-7") == 7)
        for bad in ["TD-", "TD-0", "TD-12a", "1042", "TD--1", "TD-١٢", "TD-99999999999999999999999"] {
            #expect(TicketReference.number(in: bad) == nil, "\(bad)")
        }
    }

    @Test func timestampsRoundTrip() {
        #expect(Timestamp.format(Self.now) == "2026-09-21T14:13:20Z")
        #expect(Timestamp.parse("2026-09-21T14:13:20Z") == Self.now)
        #expect(Timestamp.parse("2026-09-21T16:13:20.000+02:00") == Self.now)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func formattingAgreesWithFoundationAcrossCenturiesAndLeapDays() {
        var instants: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
            Date(timeIntervalSince1970: 4_107_542_399.75),
        ]
        // 1900 to 2100 in steps of about 36.5 days and 7 seconds, so every month, hour and second shows up.
        for seconds in stride(from: -2_208_988_800, to: 4_102_444_800, by: 3_155_707) {
            instants.append(Date(timeIntervalSince1970: Double(seconds)))
        }
        for instant in instants {
            #expect(
                Timestamp.format(instant) == Date.ISO8601FormatStyle().format(instant),
                "\(instant.timeIntervalSince1970)"
            )
        }
    }
}
