import Foundation

/// The public status page: current incidents and the last days of every service, built only from what
/// updates said. It carries no internal title, note, person, organisation or ticket: whatever is not in
/// this value cannot leak onto the page.
public struct StatusPage: Sendable, Equatable {
    /// How bad an incident is for the people who read the page.
    public enum Impact: String, Sendable, Comparable, CaseIterable {
        case none, minor, partial, major

        public init(_ severity: Severity) {
            switch severity {
            case .sev1: self = .major
            case .sev2: self = .partial
            case .sev3: self = .minor
            }
        }

        public var label: String {
            switch self {
            case .none: "Operational"
            case .minor: "Minor disruption"
            case .partial: "Partial outage"
            case .major: "Major outage"
            }
        }

        public static func < (lhs: Impact, rhs: Impact) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public struct Update: Sendable, Equatable {
        public var at: Date
        public var state: MajorIncident.State
        public var message: String
    }

    public struct Incident: Sendable, Equatable {
        public var reference: String
        public var title: String
        public var impact: Impact
        public var state: MajorIncident.State
        public var services: [String]
        public var startedAt: Date
        public var resolvedAt: Date?
        /// Newest first.
        public var updates: [Update]
        public var lastChangedAt: Date
    }

    public struct Day: Sendable, Equatable {
        public var date: LocalDate
        /// The worst impact of any incident on the service that day.
        public var impact: Impact
    }

    public struct ServiceHistory: Sendable, Equatable {
        public var name: String
        /// The impact now.
        public var impact: Impact
        /// Oldest first, ``days`` of them, today last.
        public var days: [Day]
    }

    /// Days of history per service.
    public static let days = 90

    /// Incidents still active, or resolved within the last day; newest first.
    public var current: [Incident]
    /// Every incident of the last ``days`` days, newest first (the feed).
    public var recent: [Incident]
    public var services: [ServiceHistory]
    public var generatedAt: Date

    /// Builds the page at `now` from incidents (declared before `now`) and their updates, in `zone`.
    /// Only incidents with at least one update are shown: until the desk has said something, the public
    /// page says nothing.
    public init(
        incidents: [MajorIncident],
        updates: [UUID: [IncidentUpdate]],
        services: [Service],
        now: Date,
        zone: TimeZone
    ) {
        generatedAt = now
        let names = Dictionary(uniqueKeysWithValues: services.map { ($0.id, $0.name) })
        let today = ZonedTime.localDate(of: now, in: zone)
        let first = today.adding(days: -(Self.days - 1))
        let horizon = ZonedTime.instant(first, minutes: 0, in: zone)
        var published: [(MajorIncident, Incident)] = []
        for incident in incidents {
            let said = (updates[incident.id] ?? []).sorted { $0.at > $1.at }
            guard let latest = said.first else { continue }
            let end = incident.resolvedAt ?? (incident.state.isActive ? nil : latest.at)
            if let end, end < horizon { continue }
            published.append(
                (
                    incident,
                    Incident(
                        reference: incident.reference,
                        title: incident.publicTitle,
                        impact: Impact(incident.severity),
                        state: latest.state,
                        services: incident.serviceIDs.compactMap { names[$0] }.sorted(),
                        startedAt: incident.declaredAt,
                        resolvedAt: end,
                        updates: said.map { Update(at: $0.at, state: $0.state, message: $0.message) },
                        lastChangedAt: latest.at
                    )
                )
            )
        }
        published.sort { $0.1.startedAt > $1.1.startedAt }
        recent = published.map(\.1)
        current = recent.filter { incident in
            incident.resolvedAt.map { now.timeIntervalSince($0) < 86_400 } ?? true
        }
        self.services = services.sorted { $0.name < $1.name }
            .map { service in
                let touching = published.filter { $0.0.serviceIDs.contains(service.id) }.map(\.1)
                let days = (0..<Self.days)
                    .map { offset -> Day in
                        let date = first.adding(days: offset)
                        let start = ZonedTime.instant(date, minutes: 0, in: zone)
                        let end = ZonedTime.instant(date.adding(days: 1), minutes: 0, in: zone)
                        let worst = touching.filter { $0.startedAt < end && ($0.resolvedAt ?? now) >= start }
                            .map(\.impact).max()
                        return Day(date: date, impact: worst ?? .none)
                    }
                let now = touching.filter { $0.resolvedAt == nil }.map(\.impact).max() ?? .none
                return ServiceHistory(name: service.name, impact: now, days: days)
            }
    }
}
