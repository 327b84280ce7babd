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

/// One target: minutes of a calendar.
public struct SLATarget: Sendable, Equatable {
    public enum CalendarChoice: String, Sendable, Equatable, Codable {
        case twentyFourSeven = "24x7"
        case business
    }

    public var minutes: Int
    public var calendar: CalendarChoice

    public init(minutes: Int, calendar: CalendarChoice) {
        self.minutes = minutes
        self.calendar = calendar
    }

    /// The same target cut to a share of its length, in seconds.
    init(minutes: Int, calendar: CalendarChoice, share: Double) {
        self.minutes = minutes
        self.calendar = calendar
        self.share = share
    }

    /// The part of the target a clock runs to (1 for the deadline itself).
    var share = 1.0

    var seconds: Double { Double(minutes) * 60 * share }
}

/// Targets per priority and the statuses that stop the resolution and update clocks.
public struct SLAPolicy: Sendable, Equatable {
    public var targets: [Priority: [SLAClockKind: SLATarget]]
    public var businessCalendar: BusinessCalendar
    public var pausingStatuses: Set<TicketStatus>

    public init(targets: [Priority: [SLAClockKind: SLATarget]], businessCalendar: BusinessCalendar, pausingStatuses: Set<TicketStatus> = [.pendingCustomer, .onHold]) {
        self.targets = targets
        self.businessCalendar = businessCalendar
        self.pausingStatuses = pausingStatuses
    }

    /// Office hours Monday to Friday, 08:00–17:00 Europe/Berlin.
    public static let standardOffice = try! BusinessCalendar(
        timeZone: "Europe/Berlin",
        weekly: Dictionary(uniqueKeysWithValues: [Weekday.mon, .tue, .wed, .thu, .fri].map { ($0, [OpeningWindow(start: 8 * 60, end: 17 * 60)]) })
    )

    /// The seed defaults: P1 answered in 15 minutes around the clock, updated hourly, resolved in 2 hours;
    /// P2 answered in 2 hours, updated every 2 hours, resolved in 4 working hours; P3 answered in 8 working
    /// hours and resolved in a working day; P4 in 3 and P5 in 5 working days.
    public static let standard = SLAPolicy(
        targets: [
            .p1: [.firstResponse: SLATarget(minutes: 15, calendar: .twentyFourSeven), .nextUpdate: SLATarget(minutes: 60, calendar: .twentyFourSeven), .resolution: SLATarget(minutes: 120, calendar: .twentyFourSeven)],
            .p2: [.firstResponse: SLATarget(minutes: 120, calendar: .twentyFourSeven), .nextUpdate: SLATarget(minutes: 120, calendar: .twentyFourSeven), .resolution: SLATarget(minutes: 240, calendar: .business)],
            .p3: [.firstResponse: SLATarget(minutes: 480, calendar: .business), .resolution: SLATarget(minutes: 540, calendar: .business)],
            .p4: [.resolution: SLATarget(minutes: 3 * 540, calendar: .business)],
            .p5: [.resolution: SLATarget(minutes: 5 * 540, calendar: .business)],
        ],
        businessCalendar: standardOffice
    )

    func calendar(_ choice: SLATarget.CalendarChoice) -> BusinessCalendar {
        choice == .business ? businessCalendar : .twentyFourSeven
    }
}
