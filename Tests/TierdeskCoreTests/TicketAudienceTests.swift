import Foundation
import Testing

@testable import TierdeskCore

/// Who reads which events and files of a ticket.
struct TicketAudienceTests {
    let ticket = UUID()
    let vendorA = UUID()
    let vendorB = UUID()
    let agent = UUID()
    let at = Date(timeIntervalSince1970: 1_790_000_000)

    func event(_ kind: TicketEventKind, after: String? = nil, actor: UUID? = nil) -> TicketEvent {
        TicketEvent(ticketID: ticket, kind: kind, actorID: actor ?? agent, at: at, after: after, body: "text")
    }

    @Test func eachVendorReadsItsOwnThreadAndTheCustomerNone() {
        let toA = event(.vendorMessage, after: vendorA.uuidString)
        let reply = event(.publicReply)
        let note = event(.internalNote)
        #expect(TicketAudience.staff.sees(toA) && TicketAudience.staff.sees(note))
        #expect(!TicketAudience.customer.sees(toA) && TicketAudience.customer.sees(reply))
        #expect(!TicketAudience.customer.sees(note))
        #expect(TicketAudience.vendor(vendorA).sees(toA))
        #expect(!TicketAudience.vendor(vendorB).sees(toA), "a later vendor does not read an earlier one's thread")
        #expect(!TicketAudience.vendor(vendorA).sees(reply), "the vendor does not read the customer's conversation")
    }

    @Test func filesFollowTheirMarks() {
        let shared = TicketAudience.FileMark(vendorID: vendorA, vendorOnly: false)
        let forA = TicketAudience.FileMark(vendorID: vendorA, vendorOnly: true)
        #expect(TicketAudience.customer.sees(file: nil) && TicketAudience.customer.sees(file: shared))
        #expect(!TicketAudience.customer.sees(file: forA))
        #expect(!TicketAudience.vendor(vendorA).sees(file: nil))
        #expect(TicketAudience.vendor(vendorA).sees(file: shared) && TicketAudience.vendor(vendorA).sees(file: forA))
        #expect(!TicketAudience.vendor(vendorB).sees(file: forA))
    }

    @Test func theCustomerDoesNotReadThatAFileForTheVendorWasAdded() {
        let added = event(.attachmentAdded, after: "trace.log")
        let other = event(.attachmentAdded, after: "screenshot.png")
        let hidden: Set<TicketAudience.FileKey> = [.init(name: "trace.log", addedBy: agent, at: at)]
        #expect(TicketAudience.customer.visible([added, other], vendorOnlyFiles: hidden) == [other])
        #expect(TicketAudience.staff.visible([added, other], vendorOnlyFiles: hidden) == [added, other])
    }

    @Test func aVendorContactIsNeitherRequesterNorStaff() {
        for roles: Set<Role> in [[.vendor, .requester], [.vendor, .agent]] {
            #expect(throws: ValidationFailure.self) {
                try Person.validate(
                    email: "x@example.com",
                    name: "X",
                    roles: roles,
                    tier: roles.contains(.agent) ? .l2 : nil,
                    organisationID: roles.contains(.requester) ? UUID() : nil,
                    vendorID: UUID()
                )
            }
        }
    }
}
