import Foundation
import TierdeskCore

struct TriageBoardDTO: Encodable {
    var week: String
    @Nullable var operationsOwnerId: UUID?
    var tickets: [TicketDTO]
}

struct TriageAssignmentDTO: Decodable {
    var ownerId: UUID
    var tickets: [String]
}

struct TriageOutcomeDTO: Encodable {
    var ticket: String
    var outcome: String
    @Nullable var detail: String?

    init(_ outcome: TriageDesk.Outcome) {
        ticket = outcome.reference
        self.outcome = outcome.kind.rawValue
        detail = outcome.detail
    }
}

struct OperationsOwnerDTO: Decodable {
    var week: String
    var personId: UUID?
}

struct TriageReportDTO: Encodable {
    struct Taking: Encodable {
        var ticket: String
        var ownerId: UUID
        @Nullable var assignedBy: UUID?
        var at: String
    }

    var week: String
    var from: String
    var to: String
    @Nullable var operationsOwnerId: UUID?
    var opened: [String]
    var taken: [Taking]
    var stillUnowned: [String]

    init(_ report: TriageReport) {
        week = report.week.description
        from = Timestamp.format(report.week.start)
        to = Timestamp.format(report.week.end)
        operationsOwnerId = report.operationsOwner
        opened = report.opened.map(\.reference)
        taken = report.taken.map {
            Taking(
                ticket: TicketReference.format($0.ticketNumber),
                ownerId: $0.ownerID,
                assignedBy: $0.assignedBy,
                at: Timestamp.format($0.at)
            )
        }
        stillUnowned = report.stillUnowned.map(\.reference)
    }
}
