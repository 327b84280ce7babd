import Foundation

/// The kind of SLA clock a ticket runs.
public enum SLAClockKind: String, Sendable, CaseIterable, Codable {
    /// Until the first public reply of staff.
    case firstResponse
    /// Between public updates while a ticket is Sev1 or Sev2; restarted by each update.
    case nextUpdate
    /// Until the ticket is resolved; a reopened ticket continues where it stopped.
    case resolution
}

/// One target: minutes of a named calendar.
public struct SLATarget: Sendable, Equatable, Codable {
    public var minutes: Int
    /// The name of the calendar the minutes are counted in; ``BusinessCalendar/twentyFourSevenName`` is built in.
    public var calendar: String

    public init(minutes: Int, calendar: String) {
        self.minutes = minutes
        self.calendar = calendar
    }

    /// The longest target accepted: a year of minutes.
    public static let maximumMinutes = 525_600
}

/// Which tickets a policy applies to. A service's policy wins over an organisation's, which wins over the default.
public enum SLAScope: Hashable, Sendable {
    case everyone
    case service(UUID)
    case organisation(UUID)
}

/// What Tierdesk does when an SLA alarm fires (hierarchical escalation).
public enum SLAEscalationAction: String, Sendable, CaseIterable, Codable {
    /// Tell the ticket's owner; an unowned ticket's group lead instead.
    case notifyOwner
    /// Tell the lead of the ticket's group.
    case notifyGroupLead
    /// Tell every manager.
    case notifyManagers
    /// Raise the priority one step (P3 → P2); once per ticket, clock and level.
    case raisePriority
    /// Give the ticket to its group's lead; once per ticket, clock and level.
    case reassignToGroupLead
}

/// One SLA policy: targets per priority, the statuses that stop the resolution and update clocks,
/// when to warn and how to escalate. ``calendars`` holds the calendars its targets name.
public struct SLAPolicy: Sendable, Equatable {
    public var name: String
    public var scope: SLAScope
    public var targets: [Priority: [SLAClockKind: SLATarget]]
    public var pausingStatuses: Set<TicketStatus>
    /// The share of a target after which the warning fires, between 0 and 1 (exclusive).
    public var warningShare: Double
    public var escalation: [SLAAlarm.Level: [SLAEscalationAction]]
    /// The calendars the targets are counted in, by name.
    public var calendars: [String: BusinessCalendar]

    public init(
        name: String,
        scope: SLAScope = .everyone,
        targets: [Priority: [SLAClockKind: SLATarget]],
        pausingStatuses: Set<TicketStatus> = [.pendingCustomer, .onHold],
        warningShare: Double = 0.75,
        escalation: [SLAAlarm.Level: [SLAEscalationAction]] = SLAPolicy.standardEscalation,
        calendars: [String: BusinessCalendar] = [:]
    ) {
        self.name = name
        self.scope = scope
        self.targets = targets
        self.pausingStatuses = pausingStatuses
        self.warningShare = warningShare
        self.escalation = escalation
        self.calendars = calendars
    }

    /// Office hours Monday to Friday, 08:00–17:00 Europe/Berlin.
    public static let standardOffice = try! BusinessCalendar(
        timeZone: "Europe/Berlin",
        weekly: Dictionary(
            uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri]
                .map { ($0, [OpeningWindow(start: 8 * 60, end: 17 * 60)]) }
        )
    )

    /// The name of ``standardOffice`` in the default configuration.
    public static let officeCalendarName = "office"

    /// The owner hears of a warning; owner, group lead and managers hear of a breach.
    public static let standardEscalation: [SLAAlarm.Level: [SLAEscalationAction]] = [
        .warning: [.notifyOwner],
        .breach: [.notifyOwner, .notifyGroupLead, .notifyManagers],
    ]

    /// The defaults: P1 answered in 15 minutes around the clock, updated hourly, resolved in 2 hours;
    /// P2 answered in 2 hours, updated every 2 hours, resolved in 4 working hours; P3 answered in 8 working
    /// hours and resolved in a working day; P4 in 3 and P5 in 5 working days.
    public static let standard: SLAPolicy = {
        let always = BusinessCalendar.twentyFourSevenName
        let office = officeCalendarName
        return SLAPolicy(
            name: "standard",
            targets: [
                .p1: [
                    .firstResponse: SLATarget(minutes: 15, calendar: always),
                    .nextUpdate: SLATarget(minutes: 60, calendar: always),
                    .resolution: SLATarget(minutes: 120, calendar: always),
                ],
                .p2: [
                    .firstResponse: SLATarget(minutes: 120, calendar: always),
                    .nextUpdate: SLATarget(minutes: 120, calendar: always),
                    .resolution: SLATarget(minutes: 240, calendar: office),
                ],
                .p3: [
                    .firstResponse: SLATarget(minutes: 480, calendar: office),
                    .resolution: SLATarget(minutes: 540, calendar: office),
                ],
                .p4: [.resolution: SLATarget(minutes: 3 * 540, calendar: office)],
                .p5: [.resolution: SLATarget(minutes: 5 * 540, calendar: office)],
            ],
            calendars: [office: standardOffice]
        )
    }()

    /// The calendar a target counts in; 24x7 for the built-in name (or one that is missing).
    func calendar(_ name: String) -> BusinessCalendar {
        calendars[name] ?? .twentyFourSeven
    }
}
