import Foundation

/// The weekly triage report (every operational issue has an owner, settled in a weekly triage):
/// what was opened, who took what, and what is still without an owner.
public struct TriageReport: Sendable, Equatable {
    /// An owner taken on for a ticket that had none.
    public struct Taking: Sendable, Equatable {
        public var ticketNumber: Int
        public var ownerID: UUID
        /// Who assigned it (the owner, or whoever ran the triage).
        public var assignedBy: UUID?
        public var at: Date

        public init(ticketNumber: Int, ownerID: UUID, assignedBy: UUID?, at: Date) {
            self.ticketNumber = ticketNumber
            self.ownerID = ownerID
            self.assignedBy = assignedBy
            self.at = at
        }
    }

    public var week: IsoWeek
    public var operationsOwner: UUID?
    /// Tickets opened during the week, oldest first.
    public var opened: [Ticket]
    /// Owners taken on during the week for tickets that had none, in order.
    public var taken: [Taking]
    /// Open tickets that have no owner now, oldest first.
    public var stillUnowned: [Ticket]

    public init(week: IsoWeek, operationsOwner: UUID?, opened: [Ticket], taken: [Taking], stillUnowned: [Ticket]) {
        self.week = week
        self.operationsOwner = operationsOwner
        self.opened = opened
        self.taken = taken
        self.stillUnowned = stillUnowned
    }

    /// The takings among a week's `ownerId` events: those that gave an owner to a ticket without one.
    public static func takings(from events: [(ticketNumber: Int, event: TicketEvent)], in week: IsoWeek) -> [Taking] {
        events.filter {
            $0.event.field == "ownerId" && $0.event.before == nil && $0.event.at >= week.start && $0.event.at < week.end
        }
        .compactMap { item in
            item.event.after.flatMap(UUID.init(uuidString:))
                .map {
                    Taking(
                        ticketNumber: item.ticketNumber,
                        ownerID: $0,
                        assignedBy: item.event.actorID,
                        at: item.event.at
                    )
                }
        }
        .sorted { ($0.at, $0.ticketNumber) < ($1.at, $1.ticketNumber) }
    }
}
