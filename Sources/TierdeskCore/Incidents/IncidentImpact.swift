import Foundation

/// What a major incident cost, for its review: how long service was disrupted, how many organisations and
/// tickets it touched, and the money its tickets' business impact puts on each hour, counted once per
/// currency (the largest hourly figure of its tickets, since they describe the same outage).
public struct IncidentImpact: Sendable, Equatable {
    public struct Cost: Sendable, Equatable {
        public var currency: String
        public var perHour: Int
        /// `perHour` times the hours of disruption, rounded to whole units.
        public var total: Int
    }

    public var seconds: TimeInterval
    public var organisations: Int
    public var tickets: Int
    public var costs: [Cost]

    public init(incident: MajorIncident, tickets: [Ticket], at now: Date) {
        seconds = incident.duration(at: now)
        organisations = Set(incident.organisationIDs + tickets.map(\.organisationID)).count
        self.tickets = tickets.count
        var highest: [String: Int] = [:]
        for impact in tickets.compactMap(\.businessImpact) {
            highest[impact.currency] = max(highest[impact.currency] ?? 0, impact.amountPerHour)
        }
        let hours = seconds / 3600
        costs = highest.keys.sorted()
            .map { currency in
                let perHour = highest[currency]!
                return Cost(currency: currency, perHour: perHour, total: Int((Double(perHour) * hours).rounded()))
            }
    }
}
