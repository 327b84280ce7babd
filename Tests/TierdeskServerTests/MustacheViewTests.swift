import Foundation
import Mustache
import Testing
import TierdeskCore

@testable import TierdeskServer

/// Views that name their values for Mustache (instead of reflection) name every one of them, the same as
/// reflection would find it.
struct MustacheViewTests {
    func check(_ view: some MustacheParent, sourceLocation: SourceLocation = #_sourceLocation) {
        for child in Mirror(reflecting: view).children {
            guard let label = child.label else { continue }
            let mirrored = Mirror(reflecting: child.value)
            let expected: Any? = mirrored.displayStyle == .optional ? mirrored.children.first?.value : child.value
            let named = view.child(named: label)
            #expect(
                String(describing: named) == String(describing: expected),
                "\(type(of: view)).\(label) is not named for Mustache",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test func queueViewsNameEveryValue() {
        var ticket = Ticket(
            id: UUID(),
            number: 1042,
            type: .serviceRequest,
            channel: .portal,
            title: "Laptop",
            description: "x",
            requesterID: UUID(),
            organisationID: UUID(),
            serviceID: nil,
            impact: .low,
            urgency: .low,
            priority: .p4,
            severity: .sev3,
            status: .new,
            tier: .l1,
            group: "Service desk",
            ownerID: nil,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: Date(timeIntervalSince1970: 1_790_000_000),
            version: 1,
            createdAt: Date(timeIntervalSince1970: 1_789_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_789_000_000)
        )
        ticket.nextDeadline = Date(timeIntervalSince1970: 1_789_500_000)
        ticket.tags = [NoticeRule.shortNoticeTag]
        let row = TicketRowView(ticket, names: NameBook(), linkPrefix: "/console/tickets/", now: Date())
        check(row)
        check(OptionView(value: "new", label: "New", selected: true))
        check(ConsolePages.QueueLink(tier: "L1", count: "1000+", current: true))
        check(ConsolePages.GroupLink(name: "Service desk", link: "/console?group=x", count: "3", current: false))
        check(
            ConsolePages.ConsoleView(
                title: "t",
                heading: "h",
                user: nil,
                notice: "n",
                error: nil,
                queues: [],
                groups: [],
                hasGroups: false,
                action: "/console",
                tierFilter: "L1",
                anyStatus: true,
                statuses: [],
                priorities: [],
                group: "",
                q: "",
                mine: true,
                tickets: [row],
                hasTickets: true,
                nextLink: "/console?after=n1"
            )
        )
    }
}
