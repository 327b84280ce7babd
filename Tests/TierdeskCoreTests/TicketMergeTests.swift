import Foundation
import Testing

@testable import TierdeskCore

/// Who may merge what: the survivor's requester must have been able to read the duplicate.
struct TicketMergeTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let organisation = UUID()

    static func ticket(_ number: Int, requester: UUID) -> Ticket {
        Ticket(
            id: UUID(),
            number: number,
            type: .incident,
            channel: .portal,
            title: "Printer \(number)",
            description: "It jams.",
            requesterID: requester,
            organisationID: organisation,
            serviceID: nil,
            impact: .medium,
            urgency: .medium,
            priority: .p3,
            severity: .sev3,
            status: .new,
            tier: .l1,
            group: nil,
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: t0,
            updatedAt: t0
        )
    }

    static func scope(_ ticket: Ticket, shares: Bool) -> TicketScope {
        TicketScope(
            requesterID: ticket.requesterID,
            organisationID: ticket.organisationID,
            organisationSharesTickets: shares,
            vendorID: nil
        )
    }

    static func merge(_ duplicate: Ticket, into survivor: Ticket, shares: Bool) throws(TierdeskError)
        -> TicketWorkflow.Merge
    {
        try TicketWorkflow()
            .merge(
                duplicate,
                scope: scope(duplicate, shares: shares),
                into: survivor,
                survivorScope: scope(survivor, shares: shares),
                conversation: [],
                files: [TicketWorkflow.MergedFile(filename: "jam.log", uploadedBy: duplicate.requesterID)],
                names: [:],
                expectedVersion: 1,
                by: Actor(personID: UUID(), roles: [.agent], tier: .l1),
                at: t0
            )
    }

    @Test func anotherRequestersTicketIsMergedOnlyWhereTheOrganisationShares() throws {
        let (alice, bob) = (UUID(), UUID())
        let (first, second) = (Self.ticket(1001, requester: alice), Self.ticket(1002, requester: bob))
        #expect(throws: TierdeskError.self) { try Self.merge(first, into: second, shares: false) }
        let shared = try Self.merge(first, into: second, shares: true)
        #expect(
            shared.duplicate.status == .closed
                && shared.survivorEvents.map(\.kind) == [.internalNote, .attachmentAdded]
        )
        let own = try Self.merge(first, into: Self.ticket(1003, requester: alice), shares: false)
        #expect(own.duplicate.resolution == .noFault)
    }
}
